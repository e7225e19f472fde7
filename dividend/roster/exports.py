"""Roster exports: headers and rows; renderers (CSV/XLSX/PDF) are in common.exports."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dividend.common.exports import Table, tables_pdf_bytes
from dividend.reference.models import CEFR_BY_VALUE

# In the reader's language (the export is read, not imported again: the import's columns are codes).
HEADERS = [gettext_lazy("Pool"), gettext_lazy("Service number"), gettext_lazy("Last name"),
           gettext_lazy("First name"), gettext_lazy("Rank"), gettext_lazy("Gender"), gettext_lazy("Police service since"),
           gettext_lazy("Available from"),
           gettext_lazy("Max duration (months)"), gettext_lazy("Skills"), gettext_lazy("Languages"),
           gettext_lazy("Email"), gettext_lazy("Phone")]


def roster_table(officers) -> Table:
    """One row per officer of an already visible, filtered queryset (no restricted data in exports)."""
    officers = officers.select_related("pool", "rank").prefetch_related("skills__skill", "languages__language")

    def rows():
        for officer in officers.iterator(chunk_size=2000):
            yield [
                officer.pool.name,
                officer.service_number,
                officer.last_name,
                officer.first_name,
                str(officer.rank),
                officer.get_gender_display(),
                officer.service_start.isoformat() if officer.service_start else "",
                officer.available_from.isoformat() if officer.available_from else "",
                officer.max_duration_months or "",
                # In words, as the pages show them (the import template keeps the codes).
                "; ".join(f"{s.skill} {s.get_level_display()}" for s in officer.skills.all()),
                "; ".join(f"{lang.language} {CEFR_BY_VALUE[lang.overall]}" for lang in officer.languages.all()),
                officer.email,
                officer.phone,
            ]

    return Table(title=_("Roster"), headers=[str(h) for h in HEADERS], rows=rows())


def subject_access_json(report) -> bytes:
    """The subject access report (roster.subject_access) as indented UTF-8 JSON."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str).encode()


def subject_access_pdf(report) -> bytes:
    """The subject access report as a PDF: one table per section."""
    tables = [Table(s.title, s.headers, [["" if v is None else str(v) for v in row] for row in s.rows])
              for s in report.sections]
    return tables_pdf_bytes(_("Everything held about %(officer)s") % {"officer": report.officer}, tables,
                            subtitle=_("Subject access report, %(when)s UTC, for %(whom)s") % {
                                "when": f"{report.generated_at:%Y-%m-%d %H:%M}", "whom": report.generated_by})
