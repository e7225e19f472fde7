"""The theme vocabulary in the MISP taxonomy JSON format (issue 12 §1): export and import.

The product has one theme vocabulary, `reference.ThematicArea` (shipped in
`dividend/data/thematic_areas.csv`). In MISP's format (github.com/MISP/misp-taxonomies: a
`machinetag.json` with `namespace`, `description`, `version`, `predicates`) it is a flat taxonomy:
one predicate per theme, `value` its code and `expanded` its name; a partner's MISP tags it as
`dividend-theme:drugs`.

Import (`import_taxonomy`): all or nothing. Every predicate becomes a theme: its code is the value
(lower case; hyphens become underscores), its name the `expanded` text (else the value). A new code
adds a theme; a known code with the same name is left as it is; an imported theme may be renamed;
a shipped theme (the CSV's, which the priority engine and the mission registry read) is not renamed
by an import: that is a change of the data file. Themes missing from the file are kept (reports,
officers and missions refer to them). A flat vocabulary has no `values`: a file with some is refused.
Every bad entry is reported with where it is (`predicates[3].value`), and then nothing is stored.
Descriptions are read and checked but not kept (themes have a code and a name only).
"""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.common.validators import no_markup
from dividend.reference.models import ThematicArea
from dividend.reference.taxonomy import THEME_CODES

from . import access

NAMESPACE = "dividend-theme"
DESCRIPTION = "The theme vocabulary of Dividend: the national thematic priorities that field reports, missions, " \
              "officers' expertise and the country-priority index are tagged with."
MAX_BYTES = 1024 * 1024
MAX_PREDICATES = 1000
_CODE = re.compile(r"^[a-z][a-z0-9_]*\Z")
_NAMESPACE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*\Z")


def export_taxonomy() -> dict:
    """The vocabulary as a MISP taxonomy (a `machinetag.json`), themes by code."""
    themes = ThematicArea.objects.order_by("code")
    return {"namespace": NAMESPACE, "description": DESCRIPTION, "version": 1, "expanded": "Dividend themes",
            "exclusive": False,
            "predicates": [{"value": t.code, "expanded": t.name} for t in themes]}


def export_json() -> str:
    return json.dumps(export_taxonomy(), ensure_ascii=False, indent=2) + "\n"


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the vocabulary, not in the file: left as they are


class TaxonomyRefused(ValidationError):
    """The file is refused; `problems` lists (where, message) for every bad entry."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__([f"{where}: {message}" if where else message for where, message in problems])


def parse(content) -> list[tuple[str, str]]:
    """The (code, name) entries of a MISP taxonomy file; TaxonomyRefused listing every problem."""
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise TaxonomyRefused([("", _("The file is larger than 1 MB."))])
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TaxonomyRefused([("", _("The file is not UTF-8 text."))]) from None
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except json.JSONDecodeError as error:
            raise TaxonomyRefused([("", _("Not JSON: %(error)s (line %(line)s, column %(column)s).") % {
                "error": error.msg, "line": error.lineno, "column": error.colno})]) from None
        except (ValueError, RecursionError):
            # Valid JSON Python will not read: an integer of more than 4,300 digits (ValueError), or
            # arrays nested beyond the recursion limit (RecursionError: 100,000 "[" fit in 200 KB).
            # Both were 500s on the themes page.
            raise TaxonomyRefused([("", _("Not a readable MISP taxonomy: a number is too long or the "
                                          "JSON nests too deep."))]) from None
    if not isinstance(content, dict):
        raise TaxonomyRefused([("", _("A MISP taxonomy is a JSON object with namespace and predicates."))])
    problems: list[tuple[str, str]] = []
    namespace = content.get("namespace")
    if not isinstance(namespace, str) or not _NAMESPACE.match(namespace):
        problems.append(("namespace", _("Give the taxonomy's namespace: lower-case letters, digits, - _ and .")))
    version = content.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        problems.append(("version", _("The version is a whole number.")))
    if not isinstance(content.get("description", ""), str):
        problems.append(("description", _("The description is text.")))
    if content.get("values"):
        problems.append(("values", _("The theme vocabulary is flat: one predicate per theme, no values.")))
    predicates = content.get("predicates")
    if not isinstance(predicates, list) or not predicates:
        problems.append(("predicates", _("Give the themes as a list of predicates.")))
        raise TaxonomyRefused(problems)
    if len(predicates) > MAX_PREDICATES:
        problems.append(("predicates", _("At most %(count)s themes.") % {"count": MAX_PREDICATES}))
        raise TaxonomyRefused(problems)
    entries, seen = [], {}
    for index, predicate in enumerate(predicates):
        where = f"predicates[{index}]"
        if not isinstance(predicate, dict):
            problems.append((where, _("Each predicate is an object with value and expanded.")))
            continue
        value, expanded = predicate.get("value"), predicate.get("expanded", predicate.get("value"))
        code = value.strip().lower().replace("-", "_") if isinstance(value, str) else ""
        if not _CODE.match(code) or len(code) > 60:
            problems.append((f"{where}.value", _("%(value)s is not a theme code: lower-case letters, digits, - and "
                                                 "_, starting with a letter, at most 60.") % {"value": json.dumps(value)}))
            continue
        if not isinstance(expanded, str) or not expanded.strip() or len(expanded.strip()) > 100:
            problems.append((f"{where}.expanded", _("%(code)s needs a name of 1 to 100 characters.") % {"code": code}))
            continue
        try:
            no_markup(expanded)
        except ValidationError as error:
            problems.append((f"{where}.expanded", f"{code}: {error.messages[0]}"))
            continue
        if not isinstance(predicate.get("description", ""), str) or len(predicate.get("description", "")) > 2000:
            problems.append((f"{where}.description", _("%(code)s: the description is text of at most 2,000 "
                                                       "characters.") % {"code": code}))
            continue
        if code in seen:
            problems.append((f"{where}.value", _("%(code)s appears twice (also predicates[%(first)s]).") % {
                "code": code, "first": seen[code]}))
            continue
        seen[code] = index
        entries.append((code, " ".join(expanded.split())))
    if problems:
        raise TaxonomyRefused(problems)
    return entries


def import_taxonomy(*, actor, content) -> ImportResult:
    """Import a MISP taxonomy into the theme vocabulary, all or nothing.

    Steps: 1. check the actor may change the vocabulary; 2. validate every entry (`parse`) and the
    renames (not of a shipped theme), collecting every problem: any, and nothing is stored; 3. one
    transaction: new themes, renamed ones; 4. audit: an entry per theme changed and one for the import.
    """
    if not access.can_import_themes(actor):
        raise PermissionDenied(_("Only national analysts and administrators change the theme vocabulary."))
    entries = parse(content)
    existing = {t.code: t for t in ThematicArea.objects.all()}
    problems, result = [], ImportResult()
    for index, (code, name) in enumerate(entries):
        theme = existing.get(code)
        if theme is None:
            result.created.append(code)
        elif theme.name == name:
            result.unchanged.append(code)
        elif code in THEME_CODES:
            problems.append((f"predicates[{index}].expanded", _(
                "%(code)s is a shipped theme named %(name)s; shipped themes are renamed in the data file "
                "(thematic_areas.csv), not by an import.") % {"code": code, "name": json.dumps(theme.name)}))
        else:
            result.renamed.append(code)
    if problems:
        raise TaxonomyRefused(problems)
    names = dict(entries)
    result.kept = sorted(set(existing) - set(names))
    with transaction.atomic():
        for code in result.created:
            theme = ThematicArea.objects.create(code=code, name=names[code])
            record(actor=actor, action="create", obj=theme, fields=["code", "name"], detail={"source": "misp"})
        for code in result.renamed:
            theme = existing[code]
            before, theme.name = theme.name, names[code]
            theme.save(update_fields=["name"])
            record(actor=actor, action="update", obj=theme, fields=["name"], changes={"name": (before, theme.name)},
                   detail={"source": "misp"})
        record(actor=actor, action="import", object_type="reference.thematicarea",
               object_repr=f"MISP taxonomy: {len(entries)} themes",
               detail={"format": "misp", "created": result.created, "renamed": result.renamed,
                       "unchanged": len(result.unchanged), "kept": result.kept})
    return result
