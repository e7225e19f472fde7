"""Form fields shared by the apps."""

import datetime
import html
import time

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .collation import rules_for, sort_key

# Databases store ids as signed 64-bit integers; a larger number is not an id (and SQLite raises
# OverflowError rather than "no such row" when asked for it).
MAX_ID = 2**63 - 1


def _id_or_none(value):
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def by_label(labelled: list, rules: str | None = None) -> list:
    """(value, label) pairs sorted by label in the rules of the current language (common.collation)."""
    rules = rules or rules_for(get_language())
    return sorted(labelled, key=lambda pair: sort_key(str(pair[1]), rules))


# The sorted choices of reference lists (countries, languages, themes...) per query and language,
# kept for CHOICES_SECONDS in this process: reading, translating and collating 250 countries took
# a third of the returnee pool's empty page (profiled at 100,000 officers). A save or delete of
# such a record clears this process's copy (common.apps); other server processes see the change
# within CHOICES_SECONDS.
CHOICES_SECONDS = 300
_choices: dict[tuple, tuple[float, list]] = {}


def forget_choices(sender=None, **kwargs) -> None:
    if sender is None or getattr(sender, "sort_by_label", False):
        _choices.clear()


class LabelSortedIterator(ModelChoiceIterator):
    """The choices of a model whose records say `sort_by_label = True` (names shown translated, such as
    countries and skills) in the order of their labels in the reader's language, not the database's
    order of the stored English names; other models keep the queryset's order (ranks by rank)."""

    def __iter__(self):
        if not getattr(self.queryset.model, "sort_by_label", False):
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = (self.queryset.model._meta.label, str(self.queryset.query), get_language(),
               self.field.label_from_instance.__qualname__)
        expires, choices = _choices.get(key, (0.0, []))
        if expires < time.monotonic():
            choices = by_label([self.choice(obj) for obj in self.queryset])
            _choices[key] = (time.monotonic() + CHOICES_SECONDS, choices)
        yield from choices


def _escaped(text) -> str:
    return str(text.__html__()) if hasattr(text, "__html__") else html.escape(str(text))


def _attributes(attrs: dict) -> str:
    """As Django's widgets/attrs.html writes them: in order, True as a bare name, False left out."""
    return "".join(f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(value)}"'
                   for name, value in attrs.items() if value is not False)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's templates of the <input> widgets: each only includes input.html.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{kind}.html" for kind in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox", "file"))
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def input_markup(widget: dict) -> str:
    """Django's input.html (and attrs.html), written in Python from the widget's context."""
    value = "" if widget["value"] is None else f' value="{_escaped(widget["value"])}"'
    return f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"{value}{_attributes(widget["attrs"])}>'


def textarea_markup(widget: dict) -> str:
    """Django's textarea.html: the newline after the tag keeps a value's own first newline."""
    value = _escaped(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_escaped(widget["name"])}"{_attributes(widget["attrs"])}>\n{value}</textarea>'


def select_markup(widget: dict) -> str:
    """Django's select.html and select_option.html, written in Python from the widget's context."""
    parts = [f'<select name="{html.escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        parts.append(f'<optgroup label="{_escaped(group)}">' if group else "")
        parts.extend(f'<option value="{_escaped(option["value"])}"{_attributes(option["attrs"])}>'
                     f'{_escaped(option["label"])}</option>' for option in options)
        parts.append("</optgroup>" if group else "")
    parts.append("</select>")
    return "".join(parts)


class QuickFormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, except that the widgets of
    Django's own templates are written in Python: a plain <select> (Select, SelectMultiple,
    NullBooleanSelect) by `select_markup` instead of a template per option, the <input> widgets by
    `input_markup`, a <textarea> by `textarea_markup`. The same HTML, property-tested against
    Django's templates (tests/test_quick_select.py); an app that overrides one of those templates
    must leave it out here. A list page with a small form per row (secondments: a move form each,
    a select, a date and a text input) spent most of its form time in these templates."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is None:
            return super().render(template_name, context, request)
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_markup(widget))  # noqa: S308 - input_markup escapes every value # nosec B308 B703
        if template_name == TEXTAREA_TEMPLATE:
            return mark_safe(textarea_markup(widget))  # noqa: S308 - textarea_markup escapes the value # nosec B308 B703
        if template_name == SELECT_TEMPLATE and all(
                option["template_name"] == OPTION_TEMPLATE
                for _group, options, _index in widget["optgroups"] for option in options):
            return mark_safe(select_markup(widget))  # noqa: S308 - select_markup escapes every value # nosec B308 B703
        return super().render(template_name, context, request)


class QuickSelectMixin:
    """A <select> written in Python, straight from the choices, instead of Django's template and
    option dict per choice: the same HTML, for lists of hundreds of choices (countries, languages) on pages that
    must answer fast. 250 countries on a loaded machine: 32 ms with Django's templates, 0.3 ms
    here (same process, interleaved, median of 30)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}
        marked = False  # a single select marks its first match only, as Django does

        def option(value, label) -> str:
            nonlocal marked
            value = "" if value is None else str(value)
            selected = value in chosen and (self.allow_multiple_selected or not marked)
            marked = marked or selected
            return f'<option value="{html.escape(value)}"{" selected" if selected else ""}>{_escaped(label)}</option>'

        parts = [f'<select name="{html.escape(name)}"{_attributes(attrs)}>']
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                named = bool(option_value)  # a group without a name is written without <optgroup>, as Django does
                parts.append(f'<optgroup label="{_escaped(option_value)}">' if named else "")
                parts.extend(option(v, label) for v, label in option_label)
                parts.append("</optgroup>" if named else "")
            else:
                parts.append(option(option_value, option_label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above # nosec B308 B703


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that answers out-of-range ids with a field error, not a server error.

    `known`: {id: object} of the queryset, read once by a caller validating many forms (an import);
    then the choices are checked against it instead of the database, with the same messages.
    """

    iterator = LabelSortedIterator
    widget = QuickSelectMultiple
    known: dict | None = None

    def clean(self, value):
        if self.known is not None and not self.required and not self.prepare_value(value):
            # The parent answers an empty choice with queryset.none(), which compiles a query each
            # time it is read: 1.4 s of a 10,000-row import (profiled) for rows without expertise.
            return []
        return super().clean(value)

    def _check_values(self, value):
        for pk in value:
            number = _id_or_none(pk)
            if number is None:
                continue  # the parent reports it as an invalid choice
            if not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
        if self.known is None:
            return super()._check_values(value)
        objects = []
        for pk in dict.fromkeys(value):
            number = _id_or_none(pk)
            if number is None:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
            if number not in self.known:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": pk})
            objects.append(self.known[number])
        return objects


class IdField(forms.ModelChoiceField):
    """ModelChoiceField with the same out-of-range guard, `known` and order as IdsField."""

    iterator = LabelSortedIterator
    widget = QuickSelect
    known: dict | None = None

    def to_python(self, value):
        if value not in self.empty_values:
            number = _id_or_none(value)
            if number is not None and not 1 <= number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            if self.known is not None:
                if number not in self.known:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": value})
                return self.known[number]
        return super().to_python(value)


# <input type="date"> takes and shows only ISO dates (yyyy-mm-dd); Django would write the locale's
# first input format (en-gb: dd/mm/yyyy), which the browser discards: the field looks empty and a
# save erases it. Every date and datetime input of the product uses these widgets.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not _is_iso_date(shown):
            # Sent back with an error: a date input would show it empty, and saving again would then
            # erase the date. A text input keeps what was typed in sight, to correct.
            context["widget"]["type"] = "text"
        return context


def _is_iso_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)


class DateField(forms.DateField):
    """A date typed in the browser's date picker (ISO), with a message that says what is expected."""

    widget = DateInput
    default_error_messages = {"invalid": "Enter a valid date (year-month-day, e.g. 2027-03-01)."}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_error_messages = {"invalid": "Enter a valid date and time (e.g. 2027-03-01 09:30)."}



class LevelRowsWidget(forms.Widget):
    """Rows of an item select and one select per level column (a skill and its level; a language and
    its CEFR levels for speaking, reading, writing), with add and remove buttons (dividend.js).

    Submitted as parallel lists, `<name>-item` and `<name>-<column>`, with a hidden `<name>` that
    says the rows were on the page: without it the value is None, "not given". A row whose item is
    left blank is no row, so the form works without scripts: a blank row to add, "—" to remove.
    """

    template_name = "common/widgets/level_rows.html"
    MARKER = "rows"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.items: list[tuple] = []  # [(id, label)], set by the field
        self.columns: list[tuple] = []  # [(key, label)]
        self.levels: list[tuple] = []  # [(value, label)]
        self.item_label = self.add_label = ""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return None
        if data.get(name) != self.MARKER:  # something else under the field's name: refused by the field
            return str(data.get(name))
        getlist = data.getlist if hasattr(data, "getlist") else (
            lambda key: v if isinstance(v := data.get(key, []), list | tuple) else [v])
        items = getlist(f"{name}-item")
        columns = [getlist(f"{name}-{key}") for key, _ in self.columns]
        return [(str(item), *(str(c[i]) if i < len(c) else "" for c in columns)) for i, item in enumerate(items)]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, str):  # not rows (refused by the field): shown as none
            value = []
        rows = [tuple("" if v is None else str(v) for v in row) for row in (value or [])]
        rows = [row for row in rows if row[0]]  # a blank row sent back is the blank row added below
        blank = ("", *(str(self.levels[0][0]) if self.levels else "" for _ in self.columns))
        context["widget"].update(
            rows=[self._row(name, row, number) for number, row in enumerate(rows + [blank], start=1)],
            first_id=context["widget"]["attrs"].get("id", ""),
            template_row=self._row(name, blank, 0), item_label=self.item_label, add_label=self.add_label,
            columns=self.columns)
        return context

    def _row(self, name, row, number):
        """One row's selects: [(name, label, [(value, label, selected)])]; a value not among the
        choices (sent back with an error) is kept as an option of its own, to be seen and corrected."""

        def options(choices, chosen, *, blank):
            shown = [("", "—", chosen == "")] if blank else []
            shown += [(str(v), str(label), str(v) == chosen) for v, label in choices]
            if chosen and not any(selected for _, _, selected in shown):
                shown.append((chosen, chosen, True))
            return shown

        selects = [(f"{name}-item", self.item_label, options(self.items, row[0], blank=True))]
        selects += [(f"{name}-{key}", label, options(self.levels, row[i + 1] if i + 1 < len(row) else "", blank=False))
                    for i, (key, label) in enumerate(self.columns)]
        return {"number": number, "selects": selects}


class LevelRowsField(forms.Field):
    """The rows of a LevelRowsWidget, cleaned to [(object, level, ...)] (None: the rows were not sent).

    Refuses an unknown item, a level outside `levels`, and an item chosen twice, naming the row; so
    a form with a bad row saves nothing.
    """

    widget = LevelRowsWidget
    default_error_messages = {
        "unknown": _("Row %(row)s: choose a %(item)s from the list."),
        "level": _("Row %(row)s: %(column)s must be one of %(levels)s, not “%(value)s”."),
        "duplicate": _("%(name)s is chosen twice (rows %(rows)s): keep one row for it."),
        "too_many": _("At most %(max)s rows."),
        "rows": _("Choose each row from the lists."),
    }
    MAX_ROWS = 50

    def __init__(self, *, queryset, columns, levels, item_label, add_label, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.queryset, self.columns, self.levels = queryset, list(columns), list(levels)
        self.item_label, self.add_label = item_label, add_label
        self.widget.columns, self.widget.levels = self.columns, self.levels
        self.widget.item_label, self.widget.add_label = item_label, add_label

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self.queryset.all()  # evaluated afresh by each form
        result.__dict__.pop("_objects", None)
        return result

    def objects(self) -> dict[str, object]:
        if not hasattr(self, "_objects"):
            self._objects = {str(obj.pk): obj for obj in self.queryset}
        return self._objects

    def widget_attrs(self, widget):
        return {}

    def get_bound_field(self, form, field_name):
        # The widget's choices are read when the form is shown, not when the field is built.
        # Items by name in the reader's language (their names are shown translated).
        self.widget.items = by_label([(pk, str(obj)) for pk, obj in self.objects().items()])
        return super().get_bound_field(form, field_name)

    def prepare_value(self, value):
        if not value:
            return value
        # Cleaned rows ((object, level...)) shown again as raw rows (ids and levels as text).
        return [(getattr(row[0], "pk", row[0]), *row[1:]) for row in value]

    def to_python(self, value):
        if value is None:
            return None
        if isinstance(value, str) or any(len(row) != 1 + len(self.columns) for row in value):
            raise ValidationError(self.error_messages["rows"], code="rows")
        rows = [row for row in value if row and row[0].strip()]
        if len(rows) > self.MAX_ROWS:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.MAX_ROWS})
        objects, allowed = self.objects(), {str(v): v for v, _ in self.levels}
        names = ", ".join(str(label) for _, label in self.levels)
        errors, cleaned, seen = [], [], {}
        for number, (item, *levels) in enumerate(value, start=1):
            if not item.strip():
                continue
            obj = objects.get(item.strip())
            if obj is None:
                errors.append(ValidationError(self.error_messages["unknown"], code="unknown",
                                              params={"row": number, "item": self.item_label.lower()}))
                continue
            row_levels = []
            for (_key, column), level in zip(self.columns, levels, strict=True):
                if level.strip() not in allowed:
                    errors.append(ValidationError(self.error_messages["level"], code="level", params={
                        "row": number, "column": str(column).lower(), "levels": names, "value": level}))
                else:
                    row_levels.append(allowed[level.strip()])
            seen.setdefault(obj.pk, []).append(number)
            if len(row_levels) == len(self.columns):
                cleaned.append((obj, *row_levels))
        for pk, numbers in seen.items():
            if len(numbers) > 1:
                errors.append(ValidationError(self.error_messages["duplicate"], code="duplicate", params={
                    "name": str(objects[str(pk)]), "rows": ", ".join(map(str, numbers))}))
        if errors:
            raise ValidationError(errors)
        return cleaned

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != data


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple select with a search box above it (dividend.js hides the options that do not match):
    a list of 250 countries is found by typing, not scrolling."""

    template_name = "common/widgets/searchable_select.html"
