"""dividend.common.links.object_url gives what reverse() gives, for every URL that takes one key."""

import pytest
from django.template import engines
from django.urls import NoReverseMatch, get_resolver, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from dividend.common.links import object_url


def _one_key_names():
    """Every namespaced URL name whose pattern takes exactly one whole-number argument."""
    names = []

    def walk(resolver, namespace):
        for name, possibilities in resolver.reverse_dict.lists():
            if isinstance(name, str):
                for _bits, _pattern, _defaults, converters in possibilities:
                    if len(converters) == 1 and type(next(iter(converters.values()))).__name__ == "IntConverter":
                        names.append(f"{namespace}{name}")
        for ns, (_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, f"{namespace}{ns}:")

    walk(get_resolver(), "")
    return sorted(set(names))


ONE_KEY = _one_key_names()


def test_the_urlconf_has_pages_with_one_key():
    assert {"roster:detail", "missions:detail", "secondments:detail"} <= set(ONE_KEY)


@pytest.mark.parametrize("name", ONE_KEY)
def test_every_one_key_url_is_the_reversed_one(name):
    for pk in (0, 7, 2**31 - 1, 10**12):
        assert object_url(name, pk) == reverse(name, args=[pk])


@given(pk=st.integers(min_value=0, max_value=10**15))
def test_any_key_of_a_record_page(pk):
    assert object_url("roster:detail", pk) == reverse("roster:detail", args=[pk])


def test_a_key_given_as_text_goes_through_reverse():
    assert object_url("roster:detail", "42") == reverse("roster:detail", args=["42"])


def test_a_page_without_a_key_refuses_one_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        object_url("home", 1)


def test_a_name_key_goes_through_reverse():
    assert object_url("priorities:model", "national") == reverse("priorities:model", args=["national"])


def test_the_script_prefix_of_a_sub_path_deployment_is_kept():
    set_script_prefix("/dividend/")
    try:
        assert object_url("missions:detail", 5) == "/dividend/missions/5/" == reverse("missions:detail", args=[5])
    finally:
        set_script_prefix("/")


def test_the_template_tag_escapes_nothing_and_links_the_row():
    template = engines["django"].from_string("{% load links %}<a href=\"{% object_url 'missions:detail' m %}\">")
    assert template.render({"m": 12}) == f'<a href="{reverse("missions:detail", args=[12])}">'
