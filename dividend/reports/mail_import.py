"""Field reports sent by e-mail (issue 12 §3): `manage.py import_report_mail MAILBOX` reads an mbox file
or a Maildir folder and files each message as a report through the same form and workflow as the web
page and the API (`FieldReportForm`, `services.file_report`): the classification check, the
attachment checks and every limit apply alike.

A message becomes a report as follows:

- **author**: the sender's address (From) matched, case-insensitively, to the e-mail address of one
  active user who files reports (a secondee) and has an officer record. The import trusts the mail
  server that delivered the mailbox to have checked the sender (SPF/DKIM/DMARC); it reads no other
  proof of who sent a message.
- **mission**: the one the sender is deployed to now; a sender deployed to several names it in the
  subject as ``[ACRONYM] title``.
- **title**: the subject; **body**: the text/plain part; **attachments**: the message's attachments
  (signature parts of signed mail, ``application/pkcs7-signature`` and ``application/pgp-signature``,
  are skipped).
- **period**: the day the message was sent (its Date), type ad hoc; **marking**: ``TLP:…`` written
  in the subject or the body, otherwise TLP:AMBER (limited disclosure: analysts may lower it);
  **credibility**: 6 (cannot be judged) until an analyst evaluates it; **reliability**: the source's
  current grade.
- **exactly once**: the report's draft key is derived from the Message-ID, so importing the same
  mailbox again files nothing twice; a message without a Message-ID is refused.

A mailbox either fully succeeds or changes nothing (the import rule of the product): every message
is validated first and each bad one is reported with its position (mbox: its number and the line its
``From`` separator starts; Maildir: its file name) and Message-ID; if any is bad nothing is filed.
With ``--skip-bad`` the good messages are filed and the bad ones reported. Messages are reported by
position and Message-ID only: never their subject or text (a refused one may be classified).
"""

from __future__ import annotations

import email
import hashlib
import mailbox
import re
from dataclasses import dataclass
from email import policy
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from dividend.roster.models import Officer

from . import access, services
from .attachments import size_text
from .forms import FieldReportForm
from .models import FieldReport, current_reliability, deployed_missions

SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
TLP = re.compile(r"\bTLP\s*:\s*(CLEAR|WHITE|GREEN|AMBER\s*\+\s*STRICT|AMBER|RED)\b", re.IGNORECASE)
TLP_VALUES = {"CLEAR": "clear", "WHITE": "clear", "GREEN": "green", "AMBER+STRICT": "amber_strict", "AMBER": "amber",
              "RED": "red"}
MISSION_TAG = re.compile(r"^\s*\[([A-Za-z0-9 .\-]{2,40})\]\s*")
DEFAULT_MARKING = "amber"
DEFAULT_CREDIBILITY = 6


class MailboxError(ValueError):
    """The mailbox cannot be read at all (not a file or a Maildir folder)."""


class Refused(Exception):
    """A message that cannot become a report; the message says why, as a full sentence."""


@dataclass
class Outcome:
    position: str  # "message 3 (line 41)" or "message new/1733.M1P2.host"
    message_id: str
    status: str  # "filed", "already", "refused", "duplicate"
    reason: str = ""
    report_id: int | None = None

    def line(self) -> str:
        where = f"{self.position} {self.message_id or _('(no Message-ID)')}"
        if self.status == "filed":
            return _("%(where)s: filed as report %(id)s.") % {"where": where, "id": self.report_id}
        if self.status == "valid":
            return _("%(where)s: valid.") % {"where": where}
        if self.status == "already":
            return _("%(where)s: already imported as report %(id)s.") % {"where": where, "id": self.report_id}
        if self.status == "duplicate":
            return _("%(where)s: the same Message-ID appears earlier in this mailbox; skipped.") % {"where": where}
        return _("%(where)s: refused: %(reason)s") % {"where": where, "reason": self.reason}


def max_message_bytes() -> int:
    """A message larger than its attachments and a body can be is refused before it is parsed."""
    return settings.DIVIDEND_ATTACHMENT_MAX_COUNT * settings.DIVIDEND_ATTACHMENT_MAX_BYTES * 4 // 3 + 1024 * 1024


def read_mailbox(path):
    """Yield (position, raw bytes) of each message of an mbox file or a Maildir folder, in order."""
    path = Path(path)
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            raise MailboxError(_("%(path)s is a folder but not a Maildir (it needs cur, new and tmp).")
                               % {"path": path})
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.keys()):  # a Maildir key starts with its delivery time
            yield _("message %(name)s") % {"name": key}, box.get_bytes(key)
        return
    if not path.is_file():
        raise MailboxError(_("%(path)s is neither an mbox file nor a Maildir folder.") % {"path": path})
    with path.open("rb") as handle:
        if handle.read(5) != b"From ":
            raise MailboxError(_("%(path)s is not an mbox file: it does not start with a From line.")
                               % {"path": path})
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        keys = box.keys()
        offsets = [box._toc[key][0] for key in keys]  # where each message's From line starts
        lines = _line_numbers(path, offsets)
        for number, (key, line) in enumerate(zip(keys, lines, strict=True), start=1):
            yield _("message %(number)s (line %(line)s)") % {"number": number, "line": line}, box.get_bytes(key)
    finally:
        box.close()


def _line_numbers(path: Path, offsets: list[int]) -> list[int]:
    """The 1-based line of each byte offset (ascending), read in one pass."""
    result, line, read = [], 1, 0
    wanted = iter(offsets)
    target = next(wanted, None)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            while target is not None and target < read + len(chunk):
                result.append(line + chunk.count(b"\n", 0, target - read))
                target = next(wanted, None)
            line += chunk.count(b"\n")
            read += len(chunk)
    return result + [line] * (len(offsets) - len(result))


def draft_key(message_id: str) -> str:
    return "mail-" + hashlib.sha256(message_id.strip().encode()).hexdigest()[:40]


def _sender(message):
    addresses = [address for _name, address in getaddresses(message.get_all("From", [])) if address]
    if len(addresses) != 1:
        raise Refused(_("The message does not name one sender (From)."))
    address = addresses[0]
    users = list(get_user_model().objects.filter(email__iexact=address, is_active=True)[:2])
    if len(users) != 1:
        raise Refused(_("The sender %(address)s is not the e-mail address of one Dividend user.") % {"address": address})
    user = users[0]
    officer = Officer.objects.filter(user=user).first()
    if not access.can_file_reports(user) or officer is None:
        raise Refused(_("The sender %(address)s is not a secondee with an officer record: only secondees file "
                        "field reports.") % {"address": address})
    return user, officer


def _mission(user, subject: str):
    missions = list(deployed_missions(user).order_by("acronym"))
    tag = MISSION_TAG.match(subject)
    if tag:
        named = [m for m in missions if m.acronym.lower() == tag.group(1).strip().lower()]
        if named:
            return named[0], subject[tag.end():]
    if not missions:
        raise Refused(_("The sender is not deployed on a mission now: reports are filed from a mission."))
    if len(missions) > 1:
        raise Refused(_("The sender is deployed to several missions (%(missions)s): name one in the subject, e.g. "
                        "[%(first)s] followed by the title.") % {"missions": ", ".join(m.acronym for m in missions),
                                                                 "first": missions[0].acronym})
    return missions[0], subject


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise Refused(_("The message has no plain-text body."))
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError) as error:  # an unknown charset
        raise Refused(_("The message's text cannot be decoded (unknown character set).")) from error


def _files(message) -> list[SimpleUploadedFile]:
    files = []
    for part in message.iter_attachments():
        if part.get_content_type() in SIGNATURE_TYPES:
            continue
        files.append(SimpleUploadedFile(part.get_filename() or "", part.get_payload(decode=True) or b""))
    return files


def _sent_on(message):
    try:
        sent = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError, IndexError):
        return timezone.localdate()
    if sent.tzinfo is None:
        return sent.date()
    return timezone.localtime(sent).date()


def _errors(form) -> str:
    parts = []
    for field, messages in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in messages:
            parts.append(f"{label}: {message}" if label else message)
    return " ".join(parts)


def prepare(raw: bytes):
    """Read one message: (message_id, user, officer, valid form) or Refused."""
    message = email.message_from_bytes(raw, policy=policy.default)
    message_id = str(message.get("Message-ID") or "").strip()
    if not message_id:
        raise Refused(_("The message has no Message-ID: it cannot be imported exactly once."))
    return message_id, message


def to_form(message, message_id: str):
    user, officer = _sender(message)
    key = draft_key(message_id)
    existing = FieldReport.objects.filter(officer=officer, draft_key=key).values_list("pk", flat=True).first()
    if existing is not None:
        return user, officer, None, existing
    subject = str(message.get("Subject") or "").strip()
    mission, title = _mission(user, subject)
    body = _body(message)
    tlp = TLP.search(subject) or TLP.search(body)
    marking = TLP_VALUES[re.sub(r"\s+", "", tlp.group(1)).upper()] if tlp else DEFAULT_MARKING
    day = _sent_on(message)
    data = {"mission": mission.pk, "period_start": day, "period_end": day, "kind": FieldReport.Kind.AD_HOC,
            "title": title.strip(), "body": body.strip(), "places": "", "marking": marking,
            "credibility": DEFAULT_CREDIBILITY, "reliability": current_reliability(officer), "draft_key": key}
    form = FieldReportForm(data=data, files=MultiValueDict({"attachments": _files(message)}), user=user)
    if not form.is_valid():
        raise Refused(_errors(form))
    return user, officer, form, None


def too_deep() -> str:
    # The email package reads nested parts and headers recursively: a 300 KB message of 3,000
    # nested multiparts raised RecursionError out of the command (a traceback, not a refusal).
    return _("The message's parts nest too deep to be read.")


def _check(position, raw, seen: set) -> tuple[Outcome, tuple | None]:
    """Validate one message: its outcome and, for a valid new one, what filing needs."""
    if len(raw) > max_message_bytes():
        return Outcome(position, "", "refused", _("The message is %(size)s; the limit is %(limit)s.") % {
            "size": size_text(len(raw)), "limit": size_text(max_message_bytes())}), None
    try:
        message_id, message = prepare(raw)
    except Refused as refusal:
        return Outcome(position, "", "refused", str(refusal)), None
    except RecursionError:
        return Outcome(position, "", "refused", too_deep()), None
    if message_id in seen:
        return Outcome(position, message_id, "duplicate"), None
    seen.add(message_id)
    try:
        user, officer, form, existing = to_form(message, message_id)
    except Refused as refusal:
        return Outcome(position, message_id, "refused", str(refusal)), None
    except RecursionError:
        return Outcome(position, message_id, "refused", too_deep()), None
    if existing is not None:
        return Outcome(position, message_id, "already", report_id=existing), None
    return Outcome(position, message_id, "valid"), (user, officer, form)


def import_mailbox(path, *, skip_bad: bool = False) -> tuple[list[Outcome], bool]:
    """Validate every message, then file the valid ones in one transaction (all of them, or with
    `skip_bad` the good ones). Returns the outcomes (one per message, in order) and whether anything
    was stored. Messages are read twice (validated, then filed) rather than kept: a large mailbox is
    never held in memory."""
    seen: set = set()
    outcomes = [_check(position, raw, seen)[0] for position, raw in read_mailbox(path)]
    bad = any(o.status == "refused" for o in outcomes)
    if bad and not skip_bad:
        return outcomes, False
    filed = []
    try:
        with transaction.atomic():
            seen = set()
            for index, (position, raw) in enumerate(read_mailbox(path)):
                outcome, ready = _check(position, raw, seen)
                if ready is None:
                    outcomes[index] = outcome
                    if outcome.status == "refused" and not skip_bad:
                        raise Refused
                    continue
                user, officer, form = ready
                try:
                    with transaction.atomic():
                        report = services.file_report(actor=user, officer=officer, **form.cleaned_data)
                except (ValidationError, PermissionDenied) as error:
                    outcomes[index] = Outcome(position, outcome.message_id, "refused", " ".join(error.messages))
                    if not skip_bad:
                        raise Refused from error
                    continue
                outcomes[index] = Outcome(position, outcome.message_id, "filed", report_id=report.pk)
                filed.append(report.pk)
    except Refused:
        for o in outcomes:  # rolled back: nothing of this run was filed
            if o.status == "filed":
                o.status, o.report_id = "valid", None
        return outcomes, False
    return outcomes, bool(filed)


def summary(outcomes: list[Outcome], stored: bool) -> str:
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("filed", "already", "duplicate", "refused", "valid")}
    line = _("%(total)s messages: %(filed)s filed, %(already)s already imported, %(duplicate)s repeated, "
             "%(refused)s refused.") % {"total": len(outcomes), **counts}
    if counts["refused"] and not stored and not counts["filed"]:
        line += " " + _("Nothing was stored: a mailbox is imported whole or not at all (--skip-bad files the "
                        "good messages).")
    return line
