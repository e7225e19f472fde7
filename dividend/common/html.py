"""HTML written in Python where Django's widget templates are the slow part of a page."""

from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def select(name: str, choices, chosen=(), *, element_id: str = "", multiple: bool = False, aria_label: str = "",
           blank: str | None = None) -> SafeString:
    """A <select> with the chosen values selected (compared as text, as submitted).

    Why: the roster filter form has a dozen selects, two with 250 options; rendering them through
    widget templates cost 20–30 ms a page, more than the search itself (bench/roster.py).
    """
    chosen = {str(value) for value in chosen if value is not None}
    attrs = f' name="{escape(name)}"'
    if element_id:
        attrs += f' id="{escape(element_id)}"'
    if aria_label:
        attrs += f' aria-label="{escape(aria_label)}"'
    if multiple:
        attrs += " multiple"
    parts = [f"<select{attrs}>"]
    if blank is not None:
        parts.append(f'<option value="">{escape(blank)}</option>')
    for value, label in choices:
        value = str(value)
        selected = " selected" if value in chosen else ""
        parts.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above # nosec B308 B703


def searchable(select_html: SafeString, element_id: str) -> SafeString:
    """A long multiple <select> with a search box above it (dividend.js filters the options), as
    common.fields.SearchableSelectMultiple renders it for forms."""
    box = (f'<input type="search" data-filter-select="{escape(element_id)}" aria-label="{escape(gettext("Filter the list"))}"'
           f' placeholder="{escape(gettext("Type to filter the list"))}" autocomplete="off">')
    chosen = escape(gettext("Chosen:"))
    return mark_safe(f'<div class="searchable-select" data-chosen-label="{chosen}">{box}{select_html}</div>')  # noqa: S308 - escaped above, select_html is safe # nosec B308 B703
