"""The rows of selects (common.fields.LevelRowsField) as the one input boundary for skills and
languages: whatever rows arrive, the form either holds exactly the rows chosen or refuses with
messages naming the rows, and a form it refuses saves nothing."""

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.reference.models import Language, Skill
from dividend.roster.forms import OwnProfileForm, language_rows_field, skill_rows_field

pytestmark = pytest.mark.django_db


def post(name, rows, columns) -> QueryDict:
    data = QueryDict(mutable=True)
    data[name] = "rows"
    data.setlist(f"{name}-item", [row[0] for row in rows])
    for index, column in enumerate(columns, start=1):
        data.setlist(f"{name}-{column}", [row[index] for row in rows])
    return data


def clean(field, name, data):
    return field.clean(field.widget.value_from_datadict(data, {}, name))


LEVEL = st.one_of(st.sampled_from(["1", "2", "3", "4"]), st.sampled_from(["0", "5", "", "x", "-1", "2.5", " 3"]))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "", "999", "abc"]), LEVEL), max_size=6))
def test_skill_rows_hold_exactly_what_was_chosen_or_are_refused(rows):
    field = skill_rows_field()
    known = {str(pk) for pk in Skill.objects.values_list("pk", flat=True)}
    chosen = [(item, level) for item, level in rows if item.strip()]
    items = [item for item, _ in chosen]
    valid = (all(item in known and level.strip() in {"1", "2", "3", "4"} for item, level in chosen)
             and len(set(items)) == len(items))
    try:
        cleaned = clean(field, "skills", post("skills", rows, ["level"]))
    except Exception as error:  # noqa: BLE001 - a ValidationError is the only acceptable refusal
        from django.core.exceptions import ValidationError

        assert isinstance(error, ValidationError)
        assert not valid
        assert all(message.startswith("Row ") or "chosen twice" in message for message in error.messages)
    else:
        assert valid
        assert [(str(skill.pk), str(level)) for skill, level in cleaned] == [(i, lvl.strip()) for i, lvl in chosen]


def test_messages_name_the_rows():
    from django.core.exceptions import ValidationError

    english = str(Language.objects.get(code="en").pk)
    field = language_rows_field()
    with pytest.raises(ValidationError) as refused:
        clean(field, "languages", post("languages", [(english, "5", "5", "5"), ("", "1", "1", "1"),
                                                      (english, "9", "4", "4")], ["speaking", "reading", "writing"]))
    assert refused.value.messages == ["Row 3: speaking must be one of A1, A2, B1, B2, C1, C2, not “9”.",
                                      "English is chosen twice (rows 1, 3): keep one row for it."]
    assert clean(field, "languages", QueryDict("")) is None  # not sent: not changed
    with pytest.raises(ValidationError) as text:
        clean(field, "languages", QueryDict("languages=en:C1"))  # the import's text is not the form's
    assert text.value.messages == ["Choose each row from the lists."]


def test_the_own_profile_form_refuses_a_language_twice():
    english = Language.objects.get(code="en").pk
    form = OwnProfileForm(data={"email": "a@example.org", **{
        "languages": "rows", "languages-item": [english, english], "languages-speaking": [3, 4],
        "languages-reading": [3, 4], "languages-writing": [3, 4]}})
    assert not form.is_valid()
    assert form.errors["languages"] == ["English is chosen twice (rows 1, 2): keep one row for it."]
