"""Shared fixtures: a small in-memory library so tests do not depend on the big data files."""

import textwrap

import numpy as np
import pytest

from dividend.priorities.engine import ColumnTable, IndicatorLibrary

TOY_COUNTRIES = ("AAA", "BBB", "CCC", "DDD", "EEE")
TOY = {
    # column: values for AAA..EEE in 2020 (NaN = missing)
    "a": [1.0, 2.0, 3.0, 4.0, 5.0],
    "b": [10.0, 0.0, 5.0, np.nan, 20.0],
    "c": [2.0, 2.0, 8.0, 4.0, 6.0],
    "neg": [-1.0, 0.0, 1.0, 2.0, 3.0],
}


def toy_library() -> IndicatorLibrary:
    library = IndicatorLibrary()
    for column, values in TOY.items():
        library.add_table("toy", column, ColumnTable(TOY_COUNTRIES, (2020,), np.array(values)[:, None]))
    return library


def toy_yaml(index: str, extra: str = "") -> str:
    """A model file around an ``index:`` body (give the body indented by 0; it is indented here)."""
    head = textwrap.dedent("""\
        format_version: 1
        id: toy
        name: Toy
        version: "1"
        defaults: {year: 2020, direction: higher_is_more_relevant}
        """)
    return head + textwrap.dedent(extra) + "index:\n" + textwrap.indent(textwrap.dedent(index), "  ")


@pytest.fixture
def library() -> IndicatorLibrary:
    return toy_library()


@pytest.fixture
def model_text():
    """``model_text(index_body, extra_top_level="")`` → YAML text of a toy model file."""
    return toy_yaml
