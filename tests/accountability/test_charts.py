"""The charts are drawn once per content and language (accountability/charts.py: matplotlib's 80-130 ms
per chart was most of the dashboard's time); a change of figure, title or language draws anew."""

import pytest
from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dividend.accountability import charts


def test_the_same_figures_are_drawn_once():
    charts._bars.cache_clear()
    first = charts.bars([("EULEX", 3), ("UNMISS", 2)], title="Officers deployed by mission", xlabel="officers")
    again = charts.bars([("EULEX", 3), ("UNMISS", 2)], title="Officers deployed by mission", xlabel="officers")
    assert again == first
    assert (charts._bars.cache_info().hits, charts._bars.cache_info().misses) == (1, 1)


def test_a_changed_figure_is_drawn_anew():
    charts._bars.cache_clear()
    first = charts.bars([("EULEX", 3)], title="Officers", xlabel="officers")
    second = charts.bars([("EULEX", 4)], title="Officers", xlabel="officers")
    assert ">4<" not in first.replace(" ", "")
    assert second != first
    assert charts._bars.cache_info().misses == 2


def test_each_language_gets_its_own_drawing():
    charts._lines.cache_clear()
    with translation.override("en"):
        english = charts.lines(["2026-01"], [(_("Women"), [1])], title=_("Missions"), ylabel="n")
    with translation.override("de"):
        german = charts.lines(["2026-01"], [(_("Women"), [1])], title=_("Missions"), ylabel="n")
    assert 'aria-label="Missions"' in english
    assert 'aria-label="Missionen"' in german
    assert charts._lines.cache_info().misses == 2


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "charts": {**settings.CACHES["charts"], "LOCATION": str(tmp_path / "charts")}}
    return caches["charts"]


def test_a_drawn_chart_is_kept_for_the_other_processes(shared_cache):
    charts._bars.cache_clear()
    svg = charts.bars([("EULEX", 3)], title="Officers", xlabel="officers")
    assert shared_cache.get(charts.shared_key("bars", ((("EULEX", 3),), "Officers", "officers"))) == svg


def test_a_chart_another_process_drew_is_not_drawn_again(shared_cache):
    shared_cache.set(charts.shared_key("bars", ((("EULEX", 3),), "Officers", "officers")), "<svg>drawn elsewhere</svg>")
    charts._bars.cache_clear()
    assert charts.bars([("EULEX", 3)], title="Officers", xlabel="officers") == "<svg>drawn elsewhere</svg>"


def test_an_unusable_shared_cache_only_costs_the_drawing(settings, tmp_path):
    (tmp_path / "a file").write_text("not a directory")
    settings.CACHES = {**settings.CACHES, "charts": {**settings.CACHES["charts"], "LOCATION": str(tmp_path / "a file")}}
    charts._bars.cache_clear()
    svg = charts.bars([("EULEX", 3)], title="Officers", xlabel="officers")
    assert svg.startswith('<svg role="img" aria-label="Officers"')
