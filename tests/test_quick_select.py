"""The quick <select> (common.fields.QuickSelect) writes the same HTML as Django's Select and
SelectMultiple for any choices, labels, groups and selection."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from dividend.common.fields import QuickSelect, QuickSelectMultiple

text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
option = st.tuples(st.one_of(st.integers(min_value=0, max_value=99).map(str), text), text)
choices = st.lists(st.one_of(option, st.tuples(text, st.lists(option, max_size=3))), max_size=8)


def _same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@given(choices=choices, selected=st.lists(st.integers(min_value=0, max_value=99).map(str), max_size=3),
       required=st.booleans())
def test_the_quick_select_writes_what_djangos_select_writes(choices, selected, required):
    attrs = {"id": "id_country", "required": required, "data-x": "a\"b"}
    for django_widget, quick in ((forms.Select, QuickSelect), (forms.SelectMultiple, QuickSelectMultiple)):
        value = selected[0] if selected and django_widget is forms.Select else selected
        expected = django_widget(choices=choices).render("country", value, attrs)
        assert _same_markup(quick(choices=choices).render("country", value, attrs)) == _same_markup(expected)


def test_the_id_fields_use_the_quick_select():
    from dividend.common.fields import IdField, IdsField
    from dividend.reference.models import Country

    assert type(IdField(Country.objects.all()).widget) is QuickSelect
    assert type(IdsField(Country.objects.all()).widget) is QuickSelectMultiple


@pytest.mark.django_db
def test_reference_choices_are_kept_and_a_saved_record_renews_them(django_assert_num_queries):
    from dividend.careers.forms import ReturneeSearchForm
    from dividend.reference.models import Language

    def languages():
        return [str(label) for _value, label in ReturneeSearchForm().fields["language"].choices]

    first = languages()
    with django_assert_num_queries(0):  # the regions and the languages kept, not read again
        assert languages() == first
    Language.objects.create(code="tlh", name="Klingon")
    assert "Klingon" in languages()


@given(choices=choices, selected=st.lists(st.integers(min_value=0, max_value=99).map(str), max_size=3),
       required=st.booleans())
def test_the_form_renderer_writes_what_djangos_templates_write(choices, selected, required):
    from django.forms.renderers import DjangoTemplates

    from dividend.common.fields import QuickFormRenderer

    attrs = {"id": "id_x", "required": required, "data-x": "<'&\">"}
    for widget in (forms.Select(choices=choices), forms.SelectMultiple(choices=choices), forms.NullBooleanSelect()):
        value = selected if widget.allow_multiple_selected else (selected[0] if selected else None)
        expected = widget.render("x", value, attrs, renderer=DjangoTemplates())
        assert _same_markup(widget.render("x", value, attrs, renderer=QuickFormRenderer())) == _same_markup(expected)


def test_a_select_with_its_own_option_template_keeps_it():
    from dividend.common.fields import QuickFormRenderer

    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    assert "<option" not in Marked(choices=[("a", "A")]).render("x", "a", renderer=QuickFormRenderer())


values = st.one_of(st.none(), text, st.integers(), text.map(mark_safe))
attributes = st.dictionaries(st.sampled_from(["id", "class", "placeholder", "data-x", "required", "disabled"]),
                             st.one_of(st.booleans(), text, st.integers()), max_size=4)


@given(value=values, attrs=attributes)
def test_the_form_renderer_writes_inputs_and_textareas_as_djangos_templates_do(value, attrs):
    from django.forms.renderers import DjangoTemplates

    from dividend.common.fields import DateInput, QuickFormRenderer

    widgets = (forms.TextInput(), forms.NumberInput(), forms.EmailInput(), forms.URLInput(), forms.HiddenInput(),
               forms.PasswordInput(render_value=True), forms.DateInput(), DateInput(), forms.TimeInput(),
               forms.DateTimeInput(), forms.SearchInput(), forms.TelInput(), forms.ColorInput(),
               forms.CheckboxInput(), forms.FileInput(), forms.Textarea())
    for widget in widgets:
        expected = widget.render("x", value, attrs, renderer=DjangoTemplates())
        assert widget.render("x", value, attrs, renderer=QuickFormRenderer()) == expected, type(widget)


def test_the_form_renderer_writes_inputs_without_djangos_templates():
    """The property test above compares like with like only if the quick path is taken: only the
    radio buttons (no quick markup) load a template."""
    from dividend.common.fields import QuickFormRenderer

    class Counting(QuickFormRenderer):
        loaded: list = []

        def get_template(self, template_name):
            self.loaded.append(template_name)
            return super().get_template(template_name)

    renderer = Counting()
    forms.TextInput().render("x", "a", renderer=renderer)
    forms.Textarea().render("x", "a", renderer=renderer)
    forms.RadioSelect(choices=[("a", "A")]).render("x", "a", renderer=renderer)
    assert renderer.loaded == ["django/forms/widgets/radio.html"]
