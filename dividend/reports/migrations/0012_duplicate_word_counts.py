"""The TF-IDF part of the near-duplicate confirmation (reports.duplicates): each fingerprint keeps
its text's distinct words, and DuplicateWordCount counts in how many indexed reports each word
occurs. Both are filled here from the reports already indexed, so `reports_duplicates --check`
passes after the upgrade; the pairs suggested before stay as they were confirmed (without the
TF-IDF condition) until `reports_duplicates --rebuild`. The words are computed as
`duplicates.normalise` and `duplicates.distinct_words` did when this was written (a migration
does not import the app's code, which may change)."""

import re
import unicodedata
import zlib
from collections import Counter

from django.db import migrations, models

WORD = re.compile(r"\w+")
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
REPORTS_KEY = -1


def distinct_words(title, body) -> bytes:
    text = f"{title}\n{body}"
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    values = sorted({zlib.crc32(word.encode()) for word in WORD.findall(text.casefold())})
    return b"".join(value.to_bytes(4, "little") for value in values)


def fill(apps, schema_editor):
    fingerprint = apps.get_model("reports", "DuplicateFingerprint")
    word_count = apps.get_model("reports", "DuplicateWordCount")
    report = apps.get_model("reports", "FieldReport")
    counts, reports, last = Counter(), 0, 0
    while True:
        rows = list(report.objects.filter(pk__gt=last, pk__in=fingerprint.objects.values("report_id"))
                    .order_by("pk").values_list("pk", "title", "body")[:2000])
        if not rows:
            break
        last = rows[-1][0]
        changed = []
        for pk, title, body in rows:
            words = distinct_words(title, body)
            counts.update(int.from_bytes(words[i:i + 4], "little") for i in range(0, len(words), 4))
            changed.append(fingerprint(report_id=pk, words=words))
        fingerprint.objects.bulk_update(changed, ["words"])
        reports += len(rows)
    if reports:
        counts[REPORTS_KEY] = reports
    word_count.objects.bulk_create([word_count(word=word, reports=n) for word, n in counts.items()], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0011_search_terms'),
    ]

    operations = [
        migrations.CreateModel(
            name='DuplicateWordCount',
            fields=[
                ('word', models.BigIntegerField(primary_key=True, serialize=False)),
                ('reports', models.IntegerField()),
            ],
        ),
        migrations.AddField(
            model_name='duplicatefingerprint',
            name='words',
            field=models.BinaryField(default=b''),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
