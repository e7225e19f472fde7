"""Import a call's positions from CSV/XLSX: each row through CallPositionForm (the web form's rules),
all or nothing, every bad row named with its line and reason.

Columns (codes, as the registry writes them): `mission` (the mission's acronym, of the call's
organisation), then either `position_reference` (the post number of an existing position on that
mission) or a new position from `job_description` (a catalogue code) and/or `title`; `reference`
(the new position's post number) and `posts` (default 1).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from dividend.common.tabular import TabularFileError, read_rows
from dividend.missions.models import JobDescription, Mission, Position

from . import access
from .forms import CallPositionForm
from .services import add_call_positions

COLUMNS = ["mission", "position_reference", "job_description", "title", "reference", "posts"]
EXAMPLE_ROWS = [["EULEX KOSOVO", "", "police_adviser", "", "EULEX-101", "2"],
                ["EULEX KOSOVO", "EULEX-001", "", "", "", "1"]]


@dataclass
class PositionImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _form_errors(form) -> str:
    return "; ".join(f"{form.fields[name].label}: {' '.join(messages)}" if name in form.fields else " ".join(messages)
                     for name, messages in form.errors.items())


def import_positions(*, actor, call, filename: str, content: bytes) -> PositionImportReport:
    """Read the file, validate every row with CallPositionForm, then add every position (or none).

    Steps: 1. check the actor manages the call; 2. read the rows (upload limits); 3. translate each
    row's codes to the form's fields and validate it, collecting every bad row; 4. if none is bad,
    add them all in one transaction (services.add_call_positions, audited).
    """
    if not access.can_manage_call(actor, call):
        raise PermissionDenied(_("You may not change this call."))
    report = PositionImportReport()
    try:
        headers, rows = read_rows(filename, content)
    except TabularFileError as error:
        report.errors.append((0, str(error)))
        return report
    missing = [c for c in ("mission",) if c not in headers]
    if missing:
        report.errors.append((1, _("Missing column: %(columns)s.") % {"columns": ", ".join(missing)}))
        return report
    if not rows:
        report.errors.append((0, _("The file has no rows.")))
        return report
    missions = {m.acronym.upper(): m.pk for m in Mission.objects.filter(organisation=call.organisation)}
    jobs = dict(JobDescription.objects.values_list("code", "pk"))
    items, lines = [], []
    for line, row in rows:
        acronym = row.get("mission", "").strip()
        mission_id = missions.get(acronym.upper())
        if mission_id is None:
            report.errors.append((line, _("No mission %(mission)s of the call's organisation in the registry.")
                                  % {"mission": acronym or "(empty)"}))
            continue
        data = {"posts": row.get("posts", "").strip() or "1", "title": row.get("title", ""),
                "reference": row.get("reference", "")}
        position_reference = row.get("position_reference", "").strip()
        if position_reference:
            found = list(Position.objects.filter(mission_id=mission_id, reference=position_reference)
                         .values_list("pk", flat=True)[:2])
            if len(found) != 1:
                report.errors.append((line, _("%(mission)s has no position with the post number %(reference)s.")
                                      % {"mission": acronym, "reference": position_reference} if not found else
                                      _("%(mission)s has several positions with the post number %(reference)s.")
                                      % {"mission": acronym, "reference": position_reference}))
                continue
            data["position"] = found[0]
        else:
            data["mission"] = mission_id
            code = row.get("job_description", "").strip()
            if code:
                if code not in jobs:
                    report.errors.append((line, _("Unknown job description %(code)s.") % {"code": code}))
                    continue
                data["job_description"] = jobs[code]
        form = CallPositionForm(data, call=call)
        if not form.is_valid():
            report.errors.append((line, _form_errors(form)))
            continue
        items.append((form.cleaned_data["position"], form.cleaned_data["posts"]))
        lines.append(line)
    if report.errors:
        return report
    try:
        created = add_call_positions(actor=actor, call=call, items=items, lines=lines)
    except ValidationError as error:
        report.errors.extend((0, message) for message in error.messages)
        return report
    report.created = len(created)
    return report
