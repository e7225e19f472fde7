"""Subject access: everything Dividend holds about one officer, and who read it when (GDPR art. 15).

Each app that keeps records about an officer, or about the officer's user account, registers a
provider from its AppConfig.ready() with `register_subject_data`, naming the relation fields it
covers ("app_label.model.field" for every foreign key, one-to-one or many-to-many field that points
at `roster.Officer` or at the user model). `tests/test_data_protection.py` walks every model of the
project and fails on such a field that no provider covers: a new app cannot forget the export.
A field that is not about the person (none so far) would be named in `register_subject_data`'s
`covers` of the app with a comment saying why, never left out silently.

The report is built for its subject: restricted data (emergency contact, medical and clearance) is
in it, so only the officer and those with need-to-know for the officer may have it
(`access.can_export_subject_data`), and every export is audited.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.pools.models import ApiToken, RoleAssignment

from . import access
from .forms import OFFICER_LABELS
from .models import Officer, OfficerLanguage, OfficerSkill, Qualification, UnavailablePeriod


@dataclass
class Section:
    """One table of the report: a title, column headers and rows of plain values."""

    title: str  # titles and headers are marked for translation: said in the reader's language
    headers: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class SubjectAccessReport:
    officer_id: int
    officer: str
    generated_at: dt.datetime
    generated_by: str
    sections: list[Section]

    def as_json(self) -> dict:
        return {"officer_id": self.officer_id, "officer": self.officer,
                "generated_at": self.generated_at.isoformat(timespec="seconds"), "generated_by": self.generated_by,
                "sections": [{"title": str(s.title), "headers": [str(h) for h in s.headers],
                              "rows": [[_plain(v) for v in row] for row in s.rows]} for s in self.sections]}


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


Provider = Callable[[Officer], list[Section]]
_PROVIDERS: dict[str, tuple[Provider, frozenset[str]]] = {}


def register_subject_data(name: str, provider: Provider, *, covers: Iterable[str]) -> None:
    """Add an app's part of the report. `provider(officer)` returns its sections; `covers` names the
    relation fields ("app_label.model.field") whose rows those sections contain."""
    _PROVIDERS[name] = (provider, frozenset(covers))


def covered_fields() -> frozenset[str]:
    return frozenset().union(*(covers for _, covers in _PROVIDERS.values()))


def subject_access_report(*, actor, officer: Officer, channel_format: str = "json") -> SubjectAccessReport:
    """Everything held about `officer`, for the officer or someone with need-to-know for them.

    Steps: 1. check the actor may have it (access.can_export_subject_data); 2. collect the sections
    of every registered provider, the roster's first; 3. audit the export (action export, the
    officer, the format and the sections' sizes).
    """
    if not access.can_export_subject_data(actor, officer):
        raise PermissionDenied("Only the officer, or a coordinator or HR manager of the officer's pool, "
                               "may have everything held about them.")
    sections = []
    for provider, _covers in _PROVIDERS.values():
        sections += provider(officer)
    report = SubjectAccessReport(officer_id=officer.pk, officer=str(officer), generated_at=timezone.now(),
                                 generated_by=actor.get_username(), sections=sections)
    # Every field of the record is in the report, restricted ones included: the entry names them.
    with translation.override(None):  # the audit log names the sections in the source language, English
        sizes = {str(s.title): len(s.rows) for s in sections}
    record(actor=actor, action=AuditEntry.Action.EXPORT, obj=officer, object_repr=f"subject access: {officer}"[:200],
           fields=[f.name for f in Officer._meta.concrete_fields],
           detail={"format": channel_format, "sections": sizes})
    return report


# The roster's own part: the record, its related rows, the user account and its access, and the
# audit trail (who read or changed the record, and what the person's account did).

def _roster_sections(officer: Officer) -> list[Section]:
    officer = Officer.objects.select_related("pool", "rank", "user").get(pk=officer.pk)
    record_rows = [[OFFICER_LABELS.get(f.name, f.verbose_name), getattr(officer, f.name)]
                   for f in Officer._meta.concrete_fields
                   if f.name not in ("id", "search_document", "search_facts", "user")]
    record_rows += [[_("country expertise (declared)"), ", ".join(map(str, officer.country_expertise.all()))],
                    [_("thematic expertise (declared)"), ", ".join(map(str, officer.thematic_expertise.all()))]]
    sections = [
        Section(_("Officer record"), [_("field"), _("value")], [[str(name), "" if v is None else str(v)]
                                                                 for name, v in record_rows]),
        Section(_("Skills"), [_("skill"), _("level")], [[str(s.skill), s.level] for s in
                                               OfficerSkill.objects.filter(officer=officer).select_related("skill")]),
        Section(_("Languages"), [_("language"), _("speaking"), _("reading"), _("writing")], [
            [str(lang.language), lang.speaking, lang.reading, lang.writing]
            for lang in OfficerLanguage.objects.filter(officer=officer).select_related("language")]),
        Section(_("Qualifications"), [_("type"), _("issued"), _("expires"), _("level or outcome"), _("reference"), _("status"),
                                   _("decided at")], [
            [str(q.qualification_type), q.issued_on, q.expires_on, q.level, q.reference, q.get_status_display(),
             q.decided_at] for q in Qualification.objects.filter(officer=officer).select_related("qualification_type")]),
        Section(_("Unavailable periods"), [_("from"), _("to"), _("reason")], [
            [p.start, p.end, p.get_reason_display()] for p in UnavailablePeriod.objects.filter(officer=officer)]),
    ]
    user = officer.user
    if user is not None:
        sections += [
            Section(_("User account"), [_("field"), _("value")], [
                [gettext("username"), user.get_username()], [gettext("email"), user.email],
                [gettext("active"), user.is_active], [gettext("joined"), user.date_joined],
                [gettext("last login"), user.last_login]]),
            Section(_("Roles"), [_("role"), _("granted at")], [
                [a.describe(), a.granted_at]
                for a in RoleAssignment.objects.filter(user=user).prefetch_related("pools")]),
            Section(_("API tokens"), [_("name"), _("created"), _("last used")], [
                [t.name, t.created_at, t.last_used_at] for t in ApiToken.objects.filter(user=user)]),
            Section(_("Changes made in the administration pages"), [_("when"), _("object"), _("change")], [
                [e.action_time, e.object_repr, e.get_change_message()]
                for e in LogEntry.objects.filter(user=user).order_by("action_time")]),
        ]
    sections += _audit_sections(officer)
    return sections


def _audit_sections(officer: Officer) -> list[Section]:
    """Who read or changed the record (entries about the officer, their qualifications, and list
    pages that showed them), and what the person's own account did."""
    pk, key = officer.pk, str(officer.pk)
    about = []
    entries = AuditEntry.objects.filter(object_type__in=["roster.officer", "roster.qualification"]).order_by("id")
    for entry in entries.only("timestamp", "actor_label", "action", "object_type", "object_id", "fields",
                              "detail", "channel").iterator(chunk_size=2000):
        detail = entry.detail or {}
        if entry.object_type == "roster.officer" and (
                entry.object_id == key or pk in (detail.get("ids") or [])):
            about.append(entry)
        elif entry.object_type == "roster.qualification" and detail.get("officer_id") == pk:
            about.append(entry)
    sections = [Section(_("Who read or changed this record"), [_("when"), _("who"), _("action"), _("what"), _("channel")], [
        [e.timestamp, e.actor_label, e.action, ", ".join(e.fields) if e.fields else e.object_type, e.channel]
        for e in about])]
    if officer.user_id is not None:
        sections.append(Section(_("Actions by this person's account"), [_("when"), _("action"), _("object"), _("channel")], [
            [e.timestamp, e.action, e.object_repr, e.channel]
            for e in AuditEntry.objects.filter(actor_id=officer.user_id).order_by("id").iterator(chunk_size=2000)]))
    return sections


register_subject_data("roster", _roster_sections, covers=[
    "roster.officer.user",
    "roster.officerskill.officer", "roster.officerlanguage.officer", "roster.qualification.officer",
    "roster.unavailableperiod.officer",
    # Who submitted or decided a qualification: the decisions are in the audit trail of the
    # person's account ("Actions by this person's account"), as are grants they made.
    "roster.qualification.submitted_by", "roster.qualification.decided_by",
    "pools.roleassignment.user", "pools.roleassignment.granted_by", "pools.apitoken.user",
    "audit.auditentry.actor", "admin.logentry.user",
])
