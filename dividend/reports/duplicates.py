"""Near-duplicate field reports (issue 12 §4): suggestions for analysts, never merged.

Everything this module stores is DERIVED DATA, computed from each report's title and body and
nothing else: `DuplicateFingerprint` (which text the rows stand for, and its distinct words),
`DuplicateBand` (the report's LSH bands), `DuplicatePendingBands` (the bands of reports indexed
since the last merge, one row a report), `DuplicateWordCount` (in how many indexed reports each word
occurs) and `DuplicateCandidate` (pairs confirmed as near-duplicates, with their similarity). It
is refreshed when a report is filed or its title or body changes (`refresh_report`, called by a
`post_save` receiver connected in `ReportsConfig.ready()`, so a workflow that edits a report's text
needs no call of its own); bulk paths (the benchmark's ingest, an import) call `index_reports` on
the reports they created. `manage.py reports_duplicates --check` lists stale or missing rows and
exits non-zero; `--rebuild` recomputes everything. Deleting these rows loses nothing an analyst
did: decisions ("duplicate of", "not a duplicate") are records of their own (`DuplicateDecision`,
`reports.duplicate_services`) and are never derived.

How a pair is found:

1. Normalise: Unicode NFKD with combining marks dropped, case folded, words (`\\w+`) joined by one
   space; so case, spacing, punctuation and accents do not matter ("Gao, Mali" = "gao  MALI").
2. Shingle: every run of three consecutive words (one shingle for a text of fewer words). Each
   word is hashed with CRC-32 and a shingle's three word hashes are combined, vectorised with numpy.
3. MinHash: a signature of NUM_PERM (120) values, datasketch's `MinHash` (scheme affine32, the
   shingle hashes fed as they are: `hashfunc=int`). `signatures()` computes the same values for many
   texts at once (a test checks it equals datasketch's, value for value). The low 16 bits of each
   value are kept with the fingerprint (b-bit MinHash, 240 bytes a report): the share of equal
   values estimates two reports' Jaccard similarity without reading their texts.
4. LSH banding: the signature is cut into BANDS (24) bands of ROWS (5) values; each band is hashed
   to a 64-bit bucket and stored as a row (band, bucket, report) whose primary key is the lookup's
   index (on SQLite a WITHOUT ROWID table: the rows are that index). Two reports sharing any
   (band, bucket) are candidates; finding them is one indexed query, however many reports there
   are (no index in memory, so it holds at 1,000,000 reports and across processes). A new report's
   bands first wait in one pending row (read whole by every probe) until MERGE_AT reports are
   pending, then all go into the band table in key order (`merge_pending`). Two texts whose
   shingle sets have Jaccard similarity J become candidates with probability 1 − (1 − J⁵)²⁴: 0.22
   at J = 0.4, 0.53 at 0.5, 0.86 at 0.6, 0.99 at 0.7; two different reports from one mission's
   templates and places (J around 0.05–0.2) 0.008 at most. On the benchmark's corpus that finds
   96 % of the planted pairs with about 9 candidates to check per new report at 25,000 reports of
   one mission; 4 rows per band found 99 % but with 57 candidates each, 16 bands 92 %.
5. Confirm, in two steps: the candidates' stored signatures first (estimated Jaccard ≥ PREFILTER,
   0.3: cheap, and generous so that no true pair is lost to the estimate's noise, ±0.045 at
   120 values), then the exact Jaccard similarity of the two texts' shingle sets, read from the
   texts, from SIMILARITY_THRESHOLD (0.45) up. That is the similarity shown (0 to 1).
   Why the exact shingle Jaccard, and why 0.45: on the benchmark's generated corpus (templated
   text over one mission's places, so different reports share stock phrases) planted
   near-duplicates (another report of the same event: a sentence dropped, two swapped, words
   replaced, another title) have J ≥ 0.47 in 99 % of pairs, and the most alike of 20,000 pairs of
   different reports of one mission 0.28; 0.4 lay between. The field report benchmark's richer
   corpus (bench/reports.py: several templated reports a week per secondee, so more stock phrases
   shared) has different reports up to J 0.45: at 0.4 precision was 0.850 (142 of 949 suggested
   pairs not planted, 3 of them with a twin's substituted words), at 0.45 0.948 with recall 0.959
   (from the stored similarities of its 100,000-report run); bench/reports_duplicates.py's
   recall stays 0.903 at 0.45 (0.897 at 0.5), hence 0.45. rapidfuzz's measures were tried on
   the same pairs and separate them less well: `fuzz.ratio` (order-sensitive) 1st percentile of
   planted pairs 0.70 against 0.67 for the most alike different pair; `token_sort_ratio` 0.83
   against 0.79; `token_set_ratio` 0.95 against 0.93 (it scores a text 1.0 against any text
   containing its words). The same report sent again with its spacing, case, punctuation or
   accents changed has J = 1.0.
6. And weigh the words by their rarity: the pair is suggested only if the TF-IDF cosine of the two
   texts' words is also at least WEIGHTED_THRESHOLD (0.65). A word's weight is its count in the
   text × (ln((N + 1) / (n + 1)) + 1), N the reports indexed so far (the batch included), n those
   containing the word (`DuplicateWordCount`, kept as reports are indexed and forgotten). Why: at
   1,000,000 generated reports the shingle Jaccard alone suggested 12,576 pairs at 0.45 of which
   3,214 were not planted (precision 0.744): different reports of one secondee sharing enough
   stock sentences ("the security situation remained calm"), whose words are in most reports.
   Scored as filed (the word counts of the reports before each), the cosine at 0.65 kept 0.955 of
   the planted pairs and raised precision to 0.939 (0.70: 0.954 / 0.964); on
   bench/reports_duplicates.py's corpus, whose near-duplicates are edited more, every pair the
   Jaccard found kept a cosine of 0.70 or more, hence 0.65 for a margin. IDF-weighted Jaccard
   similarities (of the words, of the shingles) did as well at 1,000,000 but dropped planted pairs
   of that corpus at the thresholds that did (bench/README.md). Measured at 1,000,000 reports after
   the change: recall 0.955, precision 0.939.

Suggestions are shown only among reports the viewer may read (`FieldReport.objects.visible_to`),
and a pair an analyst decided on is not suggested again.
"""

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix
from django.db import connection, transaction
from django.db.models import Q

from dividend.common.database import bulk_page_cache, insert_rows

from .models import (
    DuplicateBand,
    DuplicateCandidate,
    DuplicateDecision,
    DuplicateFingerprint,
    DuplicatePendingBands,
    DuplicateWordCount,
    FieldReport,
)

BANDS, ROWS = 24, 5
NUM_PERM = BANDS * ROWS
SHINGLE = 3
SEED = 1
PREFILTER = 0.3
SIMILARITY_THRESHOLD = 0.45
# Only the candidates sharing the most bands with a new report are checked: a bound on the work
# per report whatever the corpus holds.
MAX_CANDIDATES = 100
WEIGHTED_THRESHOLD = 0.65
# The DuplicateWordCount row counting the indexed reports (no CRC-32 value is negative).
REPORTS_KEY = -1
# Part of every fingerprint: changing the parameters makes every row stale (--check says so).
VERSION = f"v1:{NUM_PERM}:{BANDS}x{ROWS}:{SHINGLE}"
BATCH = 500
# New reports' bands wait in DuplicatePendingBands (one row a report, appended in id order) until
# this many are pending, then go into DuplicateBand in one sorted insert. Why: inserted one report
# at a time, the 24 random keys a report dirtied about 7,000 of the band index's 12,000 leaf pages
# per batch of 500 at 100,000 reports, each written to the WAL at every commit (commits and band
# inserts were 3.7 s of 8.8 s of filing); merged in key order, each leaf is written once per
# merge. Reading every pending row per probe costs about 10 ms at 20,000 (measured in bench/README.md).
MERGE_AT = 20_000

_WORD = re.compile(r"\w+")
# The combining diacritical marks (and their supplements): what NFKD splits off an accented letter.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_MASK32 = np.uint64(0xFFFFFFFF)
_MUL = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77), np.uint64(1))
_BUCKET_MUL = np.uint64(0x100000001B3)  # the FNV-1a 64-bit prime, folding a band's values

_PROTOTYPE = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)
_A, _B = (p.reshape(1, -1) for p in _PROTOTYPE.permutations)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)


def normalise(text: str) -> str:
    """Accent-, case- and punctuation-free words joined by one space."""
    text = text or ""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.casefold()))


def report_text(title: str, body: str) -> str:
    """The text a report is compared on: its title and body, normalised."""
    return normalise(f"{title}\n{body}")


def text_hash(normalised: str) -> str:
    return hashlib.blake2b(f"{VERSION}\n{normalised}".encode(), digest_size=20).hexdigest()


class _WordHashes(dict):
    """CRC-32 of words, remembered: reports repeat their words (a lookup is about a third of the
    cost of hashing again: 1.1 of 17.3 s of filing 20,000 reports went to hashing words). Emptied
    when it holds `limit` words, so its memory stays bounded (about 20 MB)."""

    limit = 200_000

    def __missing__(self, word: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = zlib.crc32(word.encode())
        return value


_word_hash = _WordHashes().__getitem__


def word_hashes(normalised: str) -> np.ndarray:
    """The CRC-32 value of each word of a normalised text, in order (uint64, for the arithmetic)."""
    words = normalised.split()
    return np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))


def distinct_words(normalised: str) -> np.ndarray:
    """The CRC-32 values of a normalised text's distinct words, sorted (what its fingerprint keeps)."""
    return np.unique(word_hashes(normalised)).astype("<u4")


def stored_words(blob) -> np.ndarray:
    """The word CRC-32 values a fingerprint keeps (a damaged blob's whole values only: `check`
    names it, and forgetting it takes out what it can)."""
    blob = bytes(blob or b"")
    return np.frombuffer(blob[:len(blob) - len(blob) % 4], dtype="<u4")


def shingle_hashes(normalised: str, h: np.ndarray | None = None) -> np.ndarray:
    """32-bit hashes of the text's word 3-shingles (one shingle for a shorter text; none for none);
    `h`: its word hashes, where already computed."""
    h = word_hashes(normalised) if h is None else h
    if not len(h):
        return np.empty(0, dtype=np.uint32)
    if len(h) < SHINGLE:
        h = np.concatenate([h, np.zeros(SHINGLE - len(h), dtype=np.uint64)])
    combined = h[:len(h) - SHINGLE + 1] * _MUL[0]
    for i in range(1, SHINGLE):
        combined = combined + h[i:len(h) - SHINGLE + 1 + i] * _MUL[i]
    return (combined & _MASK32).astype(np.uint32)


def minhash(normalised: str) -> MinHash:
    """The text's MinHash as datasketch computes it (for one text; `signatures` does many at once)."""
    m = _PROTOTYPE.copy()
    m.update_batch(shingle_hashes(normalised).tolist())
    return m


def signatures(texts: list[str], words: list[np.ndarray] | None = None) -> np.ndarray:
    """MinHash signatures of normalised texts, one row each (uint32, NUM_PERM columns), with the
    same values as datasketch's MinHash (scheme affine32, `hashfunc=int`) without building an object
    per text: the fastest of the ways measured (one big array for the batch is slower, bound by memory).
    `words`: the texts' word hashes, where already computed."""
    out = np.tile(_EMPTY, (len(texts), 1))
    for i, text in enumerate(texts):
        hv = shingle_hashes(text, None if words is None else words[i])
        if len(hv):
            out[i] = (_fmix(hv.reshape(-1, 1), 32) * _A + _B).min(axis=0)  # uint32 arithmetic wraps
    return out


def buckets(sigs: np.ndarray) -> np.ndarray:
    """The LSH buckets of signatures: one signed 64-bit value per band (rows × BANDS)."""
    values = sigs.reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    h = np.full(values.shape[:2], np.uint64(0xCBF29CE484222325))
    for j in range(ROWS):
        h = (h ^ values[:, :, j]) * _BUCKET_MUL
        h ^= h >> np.uint64(29)
    return h.view(np.int64)


def compact(sigs: np.ndarray) -> np.ndarray:
    """The low 16 bits of each MinHash value (b-bit MinHash): what the fingerprint keeps."""
    return (sigs & 0xFFFF).astype("<u2")


def estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Two texts' Jaccard similarity estimated from their compact signatures (the share of equal
    values; a chance equality of 16-bit values, 1 in 65,536, is left in)."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def similarity(a: str, b: str) -> float:
    """The exact Jaccard similarity of two normalised texts' shingle sets, 0 to 1."""
    sa, sb = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


class WordWeights:
    """TF-IDF vectors of normalised texts, from document frequencies (`counts`: word CRC-32 ->
    reports containing it; `reports`: the reports indexed)."""

    def __init__(self, counts: dict[int, int], reports: int):
        self.counts, self.reports = counts, reports

    def vector(self, normalised: str) -> tuple[np.ndarray, np.ndarray]:
        """(distinct word hashes, sorted; their weights, scaled to length 1)."""
        words, tf = np.unique(word_hashes(normalised), return_counts=True)
        df = np.array([self.counts.get(w, 0) for w in words.tolist()], dtype=np.float64)
        weights = tf * (np.log((self.reports + 1) / (df + 1)) + 1)
        norm = float(np.sqrt(weights @ weights))
        return words, (weights / norm if norm else weights)

    def cosine(self, a: str, b: str) -> float:
        """The TF-IDF cosine of two normalised texts, 0 to 1 (two empty texts: 1)."""
        (wa, va), (wb, vb) = self.vector(a), self.vector(b)
        if not len(wa) and not len(wb):
            return 1.0
        _common, ia, ib = np.intersect1d(wa, wb, assume_unique=True, return_indices=True)
        return float(va[ia] @ vb[ib])


@dataclass(frozen=True)
class Indexed:
    reports: int
    candidates: int


def _rows(reports) -> list[tuple[int, str]]:
    rows = []
    for r in reports:
        pk, title, body = (r.pk, r.title, r.body) if isinstance(r, FieldReport) else r
        rows.append((pk, report_text(title, body)))
    return rows


def index_reports(reports: Iterable, *, batch: int = BATCH) -> Indexed:
    """Index reports not indexed yet (FieldReport objects or (id, title, body) tuples, e.g. just
    written in bulk) and record the near-duplicate pairs they form with every report indexed before
    them and with each other. The batch path of an ingest: per `batch` reports one query finds the
    candidates, one reads their signatures, one the texts of those that pass, three inserts write."""
    rows = _rows(reports)
    total = 0
    for start in range(0, len(rows), batch):
        with transaction.atomic():  # the word counts and the rows they count, together
            total += _index_batch(rows[start:start + batch])
    return Indexed(reports=len(rows), candidates=total)


def _index_batch(rows: list[tuple[int, str]]) -> int:
    if not rows:
        return 0
    ids = [pk for pk, _ in rows]
    texts = dict(rows)
    hashes = [word_hashes(text) for _, text in rows]
    words = [np.unique(h).astype("<u4") for h in hashes]
    count_words(words, +1)
    sigs = signatures([text for _, text in rows], hashes)
    small = compact(sigs)
    table = buckets(sigs)
    # The batch's (band, bucket) keys sorted, with the position of the report each belongs to;
    # `starts` bounds each band's slice.
    n = len(ids)
    key_bands = np.tile(np.arange(BANDS, dtype=np.int64), n)
    key_buckets = table.ravel()
    key_positions = np.repeat(np.arange(n, dtype=np.int64), BANDS)
    order = np.lexsort((key_positions, key_buckets, key_bands))
    key_bands, key_buckets, key_positions = key_bands[order], key_buckets[order], key_positions[order]
    starts = np.searchsorted(key_bands, np.arange(BANDS + 1))
    wanted = {band: np.unique(key_buckets[starts[band]:starts[band + 1]]).tolist() for band in range(BANDS)}
    # 1. Candidates: reports indexed before (one query over the (band, bucket) index, and the
    # pending rows) and in the batch, as (position of the new report, other report's id), one pair
    # per band shared. In numpy: a Python loop over the matches cost about 40 ms a batch of 500 at
    # 20,000 templated reports (tens of thousands of matches).
    mine, others = [], []
    matches = np.array(_band_matches(wanted) + _pending_matches(table), dtype=np.int64).reshape(-1, 3)
    for band in range(BANDS):
        hits = matches[matches[:, 1] == band]
        if not len(hits):
            continue
        keys = key_buckets[starts[band]:starts[band + 1]]
        left = starts[band] + np.searchsorted(keys, hits[:, 2], side="left")
        counts = starts[band] + np.searchsorted(keys, hits[:, 2], side="right") - left
        total = int(counts.sum())
        offsets = np.repeat(left - (np.cumsum(counts) - counts), counts) + np.arange(total)
        mine.append(key_positions[offsets])
        others.append(np.repeat(hits[:, 0], counts))
    same = (key_bands[1:] == key_bands[:-1]) & (key_buckets[1:] == key_buckets[:-1])
    run_starts = np.flatnonzero(np.concatenate([[True], ~same]))
    run_lengths = np.diff(np.append(run_starts, len(key_bands)))
    id_array = np.array(ids, dtype=np.int64)
    for start, length in zip(run_starts[run_lengths > 1].tolist(), run_lengths[run_lengths > 1].tolist(),
                             strict=True):
        group = key_positions[start:start + length]
        a, b = np.meshgrid(group, group, indexing="ij")
        distinct = a != b
        mine.append(a[distinct])
        others.append(id_array[b[distinct]])
    mine = np.concatenate(mine) if mine else np.empty(0, dtype=np.int64)
    others = np.concatenate(others) if others else np.empty(0, dtype=np.int64)
    if not len(mine):
        return _store(ids, texts, small, table, words, [])
    # Bands shared per pair, and the MAX_CANDIDATES others sharing the most with each new report
    # (numpy: the Counter per report this replaced cost 60 µs a report).
    pairs, shared = np.unique((mine << 40) | others, return_counts=True)
    mine_a, other_a = pairs >> 40, pairs & ((1 << 40) - 1)
    order = np.lexsort((other_a, -shared, mine_a))
    mine_a, other_a = mine_a[order], other_a[order]
    first = np.searchsorted(mine_a, mine_a)  # where each new report's run starts
    keep = np.arange(len(mine_a)) - first < MAX_CANDIDATES
    mine_a, other_a = mine_a[keep], other_a[keep]
    # 2. Prefilter on the signatures (the stored ones of reports indexed before).
    position = {pk: i for i, pk in enumerate(ids)}
    outside = sorted({o for o in other_a.tolist() if o not in position})
    stored = {}
    if outside:
        stored = {pk: sig for pk, sig in _read_by_ids(DuplicateFingerprint, ["report_id", "signature"], outside)
                  if len(sig) == 2 * NUM_PERM}
    known = [pk for pk in outside if pk in stored]
    matrix = np.vstack([small, *(np.frombuffer(bytes(stored[pk]), dtype="<u2") for pk in known)]) \
        if known else small
    row_of = position | {pk: len(ids) + i for i, pk in enumerate(known)}
    theirs = np.array([row_of.get(o, -1) for o in other_a.tolist()], dtype=np.int64)
    valid = theirs >= 0
    mine_a, other_a, theirs = mine_a[valid], other_a[valid], theirs[valid]
    equal = np.count_nonzero(matrix[mine_a] == matrix[theirs], axis=1)
    close = equal / NUM_PERM >= PREFILTER  # as `estimate`, for many pairs at once
    id_a = np.array(ids, dtype=np.int64)[mine_a[close]]
    other_a = other_a[close]
    passing = set(zip(np.minimum(id_a, other_a).tolist(), np.maximum(id_a, other_a).tolist(), strict=True))
    # 3. Confirm on the texts.
    missing = {pk for pair in passing for pk in pair if pk not in texts}
    if missing:
        for pk, title, body in _read_by_ids(FieldReport, ["id", "title", "body"], sorted(missing)):
            texts[pk] = report_text(title, body)
    alike = []
    for a, b in sorted(passing):
        if a in texts and b in texts:
            score = similarity(texts[a], texts[b])
            if score >= SIMILARITY_THRESHOLD:
                alike.append((a, b, round(score, 4)))
    found = []
    if alike:
        weights = word_weights({pk for a, b, _ in alike for pk in (a, b)}, texts)
        found = [(a, b, score) for a, b, score in alike if weights.cosine(texts[a], texts[b]) >= WEIGHTED_THRESHOLD]
    return _store(ids, texts, small, table, words, found)


def word_weights(report_ids, texts: dict[int, str]) -> WordWeights:
    """The TF-IDF weights for these reports' texts: the document frequencies of their words as
    stored now, and the number of reports indexed."""
    wanted = {REPORTS_KEY}
    for pk in report_ids:
        wanted.update(word_hashes(texts[pk]).tolist())
    counts = dict(_read_by_ids(DuplicateWordCount, ["word", "reports"], sorted(wanted)))
    return WordWeights(counts, counts.pop(REPORTS_KEY, 0))


def count_words(word_sets: list[np.ndarray], sign: int) -> None:
    """Add (sign +1) or take away (-1) these reports' distinct words to or from the document
    frequencies, and the reports to or from their count; rows left at 0 are removed."""
    if not word_sets:
        return
    keys, counts = np.unique(np.concatenate([*word_sets, np.empty(0, dtype="<u4")]), return_counts=True)
    # The reports' row first, then the words in key order: every transaction that changes counts
    # locks that row before any word's (PostgreSQL), so two of them wait for each other rather than
    # deadlock, also across a text edit's two calls (taking the old words out, adding the new).
    rows = [(REPORTS_KEY, sign * len(word_sets)), *zip(keys.tolist(), (sign * counts).tolist(), strict=True)]
    table = connection.ops.quote_name(DuplicateWordCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (word, reports) VALUES (%s, %s) ON CONFLICT (word) "  # noqa: S608 # nosec B608 - the model's table; values are bound parameters
                           f"DO UPDATE SET reports = {table}.reports + excluded.reports", rows)
        if sign < 0:
            cursor.execute(f"DELETE FROM {table} WHERE reports <= 0")  # noqa: S608 # nosec B608 - the model's table


def _store(ids, texts, small, table, words, found) -> int:
    with transaction.atomic():
        insert_rows(DuplicateFingerprint._meta.db_table, ["report_id", "text_hash", "signature", "words"],
                    [(pk, text_hash(texts[pk]), small[i].tobytes(), words[i].tobytes()) for i, pk in enumerate(ids)])
        little = table.astype("<i8")
        insert_rows(DuplicatePendingBands._meta.db_table, ["report_id", "buckets"],
                    [(pk, little[i].tobytes()) for i, pk in enumerate(ids)])
        insert_rows(DuplicateCandidate._meta.db_table, ["report_id", "other_id", "similarity"], found)
        if DuplicatePendingBands.objects.count() >= MERGE_AT:
            merge_pending()
    return len(found)


def _read_by_ids(model, columns: list[str], ids: list[int], *, chunk: int = 5000) -> list[tuple]:
    """Rows of `model` (these columns, the key first) whose key is in `ids`, in plain SQL: the
    ORM's `__in` prepared each of the batch's thousands of ids one by one (0.7 s of 20 s of filing
    20,000 reports), and SQLite takes at most 32,766 parameters a statement."""
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    rows = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            part = ids[start:start + chunk]
            cursor.execute(f"SELECT {names} FROM {table} WHERE {quote(columns[0])} IN ({', '.join(['%s'] * len(part))})",  # noqa: S608 # nosec B608 - the model's own table and columns; values are bound parameters
                           part)
            rows += cursor.fetchall()
    return rows


def _pending(rows) -> tuple[np.ndarray, np.ndarray]:
    """(report ids, buckets: one row of BANDS a report) of pending rows; a row of another length
    (damaged) is left out, and `check` names its report."""
    rows = [(pk, bytes(blob)) for pk, blob in rows if len(blob) == 8 * BANDS]
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty((0, BANDS), dtype=np.int64)
    ids = np.array([pk for pk, _ in rows], dtype=np.int64)
    return ids, np.frombuffer(b"".join(blob for _, blob in rows), dtype="<i8").reshape(-1, BANDS)


def _pending_matches(table: np.ndarray) -> list[tuple[int, int, int]]:
    """(report, band, bucket) of the pending reports sharing a (band, bucket) with the batch."""
    name = connection.ops.quote_name(DuplicatePendingBands._meta.db_table)
    with connection.cursor() as cursor:  # one fetch: the ORM's iteration by 100 rows cost twice as much
        cursor.execute(f"SELECT report_id, buckets FROM {name}")  # noqa: S608 # nosec B608 - the model's table
        ids, pending = _pending(cursor.fetchall())
    out = []
    for band in range(BANDS):
        hits = np.flatnonzero(np.isin(pending[:, band], table[:, band]))
        out += zip(ids[hits].tolist(), [band] * len(hits), pending[hits, band].tolist(), strict=True)
    return out


def merge_pending() -> int:
    """Move every pending report's bands into DuplicateBand, in key order (neighbouring inserts land
    on the same index pages: 2.4 times faster on SQLite than in report order). The pending rows are
    taken with DELETE ... RETURNING, so two merges at once on PostgreSQL never move a row twice.
    Returns how many reports' bands moved."""
    table = connection.ops.quote_name(DuplicatePendingBands._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} RETURNING report_id, buckets")  # noqa: S608 # nosec B608 - the model's table
            ids, pending = _pending(cursor.fetchall())
        bands = np.tile(np.arange(BANDS), len(ids))
        owners = np.repeat(ids, BANDS)
        order = np.lexsort((owners, pending.ravel(), bands))
        insert_rows(DuplicateBand._meta.db_table, ["band", "bucket", "report_id"],
                    list(zip(bands[order].tolist(), pending.ravel()[order].tolist(), owners[order].tolist(),
                             strict=True)))
    return len(ids)


def _band_matches(wanted: dict[int, list[int]]) -> list[tuple[int, int, int]]:
    """(report, band, bucket) of the reports whose bands are merged that share a (band, bucket)
    with the batch (`wanted`: each band's buckets): one query, written out (the ORM's compilation
    of thousands of values cost more than the query)."""
    table = connection.ops.quote_name(DuplicateBand._meta.db_table)
    wanted = {band: values for band, values in sorted(wanted.items()) if values}
    if not wanted:
        return []
    if connection.vendor == "postgresql":
        # Two arrays rather than 12,000 parameters a batch: psycopg's client-side binding of those
        # (Django's cursor) cost more than the index probes themselves.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT b.report_id, b.band, b.bucket FROM unnest(%s::smallint[], %s::bigint[]) "  # noqa: S608 # nosec B608 - the model's table; values are bound parameters
                           f"AS w(band, bucket) JOIN {table} b ON b.band = w.band AND b.bucket = w.bucket",
                           [[band for band, values in wanted.items() for _ in values],
                            [bucket for values in wanted.values() for bucket in values]])
            return cursor.fetchall()
    terms, params = [], []
    for band, values in wanted.items():
        terms.append(f"(band = %s AND bucket IN ({', '.join(['%s'] * len(values))}))")
        params += [band, *values]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT report_id, band, bucket FROM {table} WHERE {' OR '.join(terms)}",  # noqa: S608 # nosec B608 - the model's table; values are bound parameters
                       params)
        return cursor.fetchall()


def forget(report_ids) -> None:
    """Remove the derived rows of these reports (before indexing them again)."""
    ids = list(report_ids)
    count_words([stored_words(blob) for blob in
                 DuplicateFingerprint.objects.filter(report_id__in=ids).values_list("words", flat=True)], -1)
    DuplicateBand.objects.filter(report_id__in=ids).delete()
    DuplicatePendingBands.objects.filter(report_id__in=ids).delete()
    DuplicateFingerprint.objects.filter(report_id__in=ids).delete()
    DuplicateCandidate.objects.filter(Q(report_id__in=ids) | Q(other_id__in=ids)).delete()


def refresh_report(report: FieldReport) -> bool:
    """Bring one report's derived rows up to date with its title and body; True if they changed."""
    current = text_hash(report_text(report.title, report.body))
    stored = DuplicateFingerprint.objects.filter(report_id=report.pk).values_list("text_hash", flat=True).first()
    if stored == current:
        return False
    with transaction.atomic():
        if stored is not None:  # a report filed just now has nothing to forget
            forget([report.pk])
        index_reports([report])
    return True


def forget_on_delete(sender, instance, **kwargs):
    """`pre_delete` receiver: a report deleted takes its words out of the word counts (its rows go
    with it)."""
    forget([instance.pk])


def refresh_on_save(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """`post_save` receiver: a report filed, or saved with its title or body, is refreshed."""
    if raw or (update_fields is not None and not {"title", "body"} & set(update_fields)):
        return
    refresh_report(instance)


@dataclass(frozen=True)
class Problem:
    report_id: int | None  # None: a problem of the word counts, not of one report
    reason: str


def band_counts(report_ids) -> dict[int, int]:
    """How many band rows each report has, merged or pending (a pending row of a damaged length
    counts none); BANDS when up to date."""
    ids = list(report_ids)
    counts = defaultdict(int)
    for pk in DuplicateBand.objects.filter(report_id__in=ids).values_list("report_id", flat=True):
        counts[pk] += 1
    for pk, blob in DuplicatePendingBands.objects.filter(report_id__in=ids).values_list("report_id", "buckets"):
        counts[pk] += len(blob) // 8 if len(blob) % 8 == 0 else 0
    return counts


def check(*, chunk: int = 2000) -> Iterable[Problem]:
    """Reports whose derived rows are missing or stale: no fingerprint, a fingerprint of another
    text (or other parameters, or other words), or not BANDS band rows (merged or pending); then
    the word counts, compared with the words of every fingerprint."""
    last = 0
    expected = defaultdict(int)
    while True:
        rows = list(FieldReport.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "title", "body")[:chunk])
        if not rows:
            break
        ids = [pk for pk, _, _ in rows]
        last = ids[-1]
        stored = {pk: (digest, bytes(words)) for pk, digest, words in DuplicateFingerprint.objects.filter(
            report_id__in=ids).values_list("report_id", "text_hash", "words")}
        counts = band_counts(ids)
        for pk, title, body in rows:
            if pk not in stored:
                yield Problem(pk, "missing")
                continue
            text = report_text(title, body)
            if stored[pk][0] != text_hash(text):
                yield Problem(pk, "stale")
            elif stored[pk][1] != distinct_words(text).tobytes():
                yield Problem(pk, "words stale")
            elif counts[pk] != BANDS:
                yield Problem(pk, f"{counts[pk]} band rows, not {BANDS}")
        fingerprints = [stored_words(words) for _digest, words in stored.values()]
        if fingerprints:
            keys, found = np.unique(np.concatenate(fingerprints), return_counts=True)
            for key, n in zip(keys.tolist(), found.tolist(), strict=True):
                expected[key] += n
            expected[REPORTS_KEY] += len(fingerprints)
    actual = dict(DuplicateWordCount.objects.values_list("word", "reports"))
    wrong = sorted(k for k in expected.keys() | actual.keys() if expected.get(k, 0) != actual.get(k, 0))
    if wrong:
        reports = f" (reports counted {actual.get(REPORTS_KEY, 0)}, indexed {expected.get(REPORTS_KEY, 0)})" \
            if REPORTS_KEY in wrong else ""
        yield Problem(None, f"the counts of {len(wrong) - (REPORTS_KEY in wrong)} word(s) differ from the "
                            f"fingerprints' words{reports}")


def rebuild(*, batch: int = 2000) -> Indexed:
    """Recompute every report's derived rows, in id order (each report compared with those before it)."""
    bulk_page_cache()
    with transaction.atomic():
        DuplicateCandidate.objects.all().delete()
        DuplicateBand.objects.all().delete()
        DuplicatePendingBands.objects.all().delete()
        DuplicateFingerprint.objects.all().delete()
        DuplicateWordCount.objects.all().delete()
        reports = candidates = 0
        last = 0
        while True:
            rows = list(FieldReport.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "title", "body")[:batch])
            if not rows:
                break
            done = index_reports(rows)
            reports, candidates, last = reports + done.reports, candidates + done.candidates, rows[-1][0]
        merge_pending()
    return Indexed(reports=reports, candidates=candidates)


# --- What a reader is shown -----------------------------------------------------------------------


@dataclass
class Suggestion:
    report: FieldReport
    similarity: float


def suggestions(user, report: FieldReport, *, limit: int = 20) -> list[Suggestion]:
    """Possible near-duplicates of `report` that `user` may read, most alike first, leaving out
    every pair an analyst has decided on."""
    scores = {}
    for a, b, s in DuplicateCandidate.objects.filter(Q(report=report) | Q(other=report)).values_list(
            "report_id", "other_id", "similarity"):
        scores[b if a == report.pk else a] = s
    if not scores:
        return []
    decided = DuplicateDecision.objects.filter(Q(report=report) | Q(other=report)).values_list("report_id", "other_id")
    for a, b in decided:
        scores.pop(b if a == report.pk else a, None)
    readable = FieldReport.objects.visible_to(user).filter(pk__in=list(scores)).with_related()
    found = sorted((Suggestion(r, scores[r.pk]) for r in readable), key=lambda s: (-s.similarity, -s.report.pk))
    return found[:limit]


def decisions(user, report: FieldReport) -> list[DuplicateDecision]:
    """Decisions on pairs with `report` whose other report `user` may read, newest first."""
    readable = FieldReport.objects.visible_to(user)
    found = list(DuplicateDecision.objects.filter(
        Q(report=report, other__in=readable) | Q(other=report, report__in=readable))
        .select_related("report", "other", "decided_by"))
    for d in found:  # seen from `report`: the other report, and which way the link goes
        d.counterpart = d.other if d.report_id == report.pk else d.report
        d.direction = ("not_duplicate" if d.verdict == DuplicateDecision.Verdict.NOT_DUPLICATE
                       else "duplicate_of" if d.report_id == report.pk else "duplicated_by")
    return found
