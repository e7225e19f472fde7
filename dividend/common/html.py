"""HTML written in Python where Django's widget templates are the slow part of a page."""

from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe


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
