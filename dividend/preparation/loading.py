"""The shipped checklist templates (`dividend/data/preparation/checklist_templates.json`): read,
checked and loaded. A template already in the database is kept as edited (the admin), unless the
load replaces it; the loader refuses a file with an unknown organisation or kind, an item due after
departure or without a source line, or a code given twice, naming each problem, and loads nothing."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from dividend.missions.models import Organisation

from .models import MAX_DAYS_BEFORE, ChecklistTemplate, Kind, TemplateItem

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "preparation" / "checklist_templates.json"
ITEM_FIELDS = ("code", "kind", "title", "description", "days_before", "source")


@dataclass
class LoadResult:
    created: int = 0
    replaced: int = 0
    kept: int = 0


def read_templates(text: str, *, where: str = "checklist_templates.json") -> list[dict]:
    """The templates of a file's text, checked; a ValidationError lists every problem found."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(f"{where}: not JSON ({error.msg}, line {error.lineno}).") from None
    problems = []
    templates = data.get("templates") if isinstance(data, dict) else None
    if not isinstance(templates, list):
        raise ValidationError(f"{where}: a 'templates' list is expected.")
    seen_organisations = set()
    for t_number, template in enumerate(templates, 1):
        here = f"{where}, template {t_number}"
        organisation = template.get("organisation") if isinstance(template, dict) else None
        if organisation not in Organisation.values:
            problems.append(f"{here}: unknown organisation {organisation!r} (known: {', '.join(Organisation.values)}).")
            continue
        if organisation in seen_organisations:
            problems.append(f"{here}: {organisation} has a template already.")
        seen_organisations.add(organisation)
        if not str(template.get("name", "")).strip():
            problems.append(f"{here} ({organisation}): no name.")
        codes = set()
        for i_number, item in enumerate(template.get("items") or [], 1):
            at = f"{here} ({organisation}), item {i_number}"
            if not isinstance(item, dict):
                problems.append(f"{at}: not an object.")
                continue
            code = item.get("code")
            if not isinstance(code, str) or not code.replace("_", "").isalnum():
                problems.append(f"{at}: the code {code!r} is not a slug.")
            elif code in codes:
                problems.append(f"{at}: the code {code!r} is given twice.")
            codes.add(code)
            if item.get("kind") not in Kind.values:
                problems.append(f"{at} ({code}): unknown kind {item.get('kind')!r} (known: {', '.join(Kind.values)}).")
            days = item.get("days_before")
            if not isinstance(days, int) or isinstance(days, bool):
                problems.append(f"{at} ({code}): days_before must be a whole number of days.")
            elif days < 0:
                problems.append(f"{at} ({code}): due {-days} days after departure; an item is due on or before it.")
            elif days > MAX_DAYS_BEFORE:
                problems.append(f"{at} ({code}): due more than {MAX_DAYS_BEFORE} days before departure.")
            if not str(item.get("title", "")).strip():
                problems.append(f"{at} ({code}): no title.")
            if not str(item.get("source", "")).strip():
                problems.append(f"{at} ({code}): no source line.")
        if not codes:
            problems.append(f"{here} ({organisation}): no items.")
    if problems:
        raise ValidationError(problems)
    return templates


def load_templates(*, text: str | None = None, replace: bool = False) -> LoadResult:
    """Load the shipped templates (or `text`): create the missing ones; keep those in the database
    (edited in the admin) unless `replace`. One transaction."""
    templates = read_templates(DATA_FILE.read_text(encoding="utf-8") if text is None else text)
    result = LoadResult()
    with transaction.atomic():
        for template in templates:
            existing = ChecklistTemplate.objects.filter(organisation=template["organisation"]).first()
            if existing is not None and not replace:
                result.kept += 1
                continue
            if existing is not None:
                existing.items.all().delete()
                existing.name, existing.source = template["name"], template.get("source", "")
                existing.save()
                row = existing
                result.replaced += 1
            else:
                row = ChecklistTemplate.objects.create(organisation=template["organisation"], name=template["name"],
                                                       source=template.get("source", ""))
                result.created += 1
            TemplateItem.objects.bulk_create([
                TemplateItem(template=row, order=order, **{k: item.get(k, "") for k in ITEM_FIELDS})
                for order, item in enumerate(template["items"])])
    return result
