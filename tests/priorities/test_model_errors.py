"""Bad model files: every problem is reported with its tree path, YAML line and a clear message."""

import pytest

from dividend.priorities.engine import ComputeError, IndicatorLibrary, ModelFileError, compute, load_model

GOOD_INDEX = """\
id: root
children:
  - id: crime
    children:
      - {id: heroin, dataset: toy, column: a}
      - {id: cocaine, dataset: toy, column: b}
  - {id: other, dataset: toy, column: c}
"""


def errors_of(text, library):
    with pytest.raises(ModelFileError) as exc:
        load_model(text, library)
    return [(e.path, e.line, e.message) for e in exc.value.errors]


def test_good_model_loads(model_text, library):
    model = load_model(model_text(GOOD_INDEX), library)
    assert [n.id for n in model.walk()] == ["root", "crime", "heroin", "cocaine", "other"]
    assert model.node("heroin").path == "index/crime/heroin"


def test_negative_weight_names_path_and_line(model_text, library):
    text = model_text(GOOD_INDEX.replace("column: a}", "column: a, weight: -1}"))
    assert errors_of(text, library) == [("index/crime/heroin", 11, "weight must be >= 0")]


def test_all_errors_collected_not_just_the_first(model_text, library):
    text = model_text("""\
        id: root
        aggregation: median
        children:
          - id: crime
            weight: -2
            children:
              - {id: heroin, dataset: toyz, column: a}
              - {id: cocaine, dataset: toy, column: bb}
          - {id: other, dataset: toy, column: c, direction: up}
        """)
    assert errors_of(text, library) == [
        ("index/crime", 11, "weight must be >= 0"),
        ("index/crime/heroin", 13, "unknown dataset 'toyz' (did you mean 'toy'?); datasets: fsi, goci, goci2025, goci_editions, "
                                   "homicide, unhcr_asylum, unhcr_population, wgi, toy"),
        ("index/crime/cocaine", 14, "unknown column 'bb' in dataset 'toy' (did you mean 'b'?)"),
        ("index/other", 15, "unknown direction 'up'; allowed: higher_is_more_relevant, higher_is_less_relevant"),
        ("index", 8, "unknown aggregation 'median'; allowed: arithmetic_mean, weighted_arithmetic_mean, "
                     "geometric_mean, weighted_geometric_mean, harmonic_mean, weighted_harmonic_mean, minimum, "
                     "maximum, formula, topsis"),
    ]


def test_message_text_of_exception_lists_lines(model_text, library):
    text = model_text(GOOD_INDEX.replace("column: a}", "column: a, weight: -1}"))
    with pytest.raises(ModelFileError) as exc:
        load_model(text, library)
    assert "line 11: index/crime/heroin: weight must be >= 0" in str(exc.value)
    assert exc.value.messages == ["index/crime/heroin: weight must be >= 0"]


def test_invalid_yaml_names_line():
    errors = errors_of("format_version: 1\nindex:\n  id: [unclosed\n", IndicatorLibrary())
    assert len(errors) == 1
    path, line, message = errors[0]
    assert path == "" and line == 4 and message.startswith("invalid YAML:")


def test_empty_file():
    assert errors_of("", IndicatorLibrary()) == [("", 1, "the model file is empty")]


def test_duplicate_ids(model_text, library):
    text = model_text(GOOD_INDEX.replace("id: other", "id: heroin"))
    assert errors_of(text, library) == [
        ("index/heroin", 13, "duplicate id 'heroin' (also at index/crime/heroin)")]


def test_duplicate_yaml_key(model_text, library):
    text = model_text(GOOD_INDEX.replace("column: c}", "column: c, column: a}"))
    assert errors_of(text, library) == [("index/children/1", 13, "duplicate key 'column'")]


def test_cycle_through_yaml_alias_is_detected():
    text = "format_version: 1\nindex: &root\n  id: root\n  children:\n    - *root\n"
    assert errors_of(text, IndicatorLibrary()) == [
        ("index/children/0", 2, "cycle: this part of the file contains itself (YAML alias)")]


def test_reused_node_through_alias_is_a_duplicate_id(model_text, library):
    text = model_text("""\
        id: root
        children:
          - &x {id: heroin, dataset: toy, column: a}
          - *x
        """)
    assert errors_of(text, library) == [("index/heroin", 9, "duplicate id 'heroin' (also at index/heroin)")]


def test_formula_syntax_error_names_position(model_text, library):
    text = model_text("""\
        id: root
        formula: "heroin * (cocaine + "
        children:
          - {id: heroin, dataset: toy, column: a}
          - {id: cocaine, dataset: toy, column: b}
        """)
    assert errors_of(text, library) == [("index", 8, "formula error: unexpected end of formula at position 21")]


def test_formula_unknown_child(model_text, library):
    text = model_text("""\
        id: root
        formula: "heroin + meth"
        children:
          - {id: heroin, dataset: toy, column: a}
        """)
    assert errors_of(text, library) == [
        ("index", 8, "formula error: unknown child id 'meth' (children: heroin) at position 10")]


def test_missing_required_top_level_keys():
    text = "index: {id: root, children: [{id: x, dataset: goci, column: Human trafficking, year: 2023, " \
           "direction: higher_is_more_relevant}]}\n"
    assert errors_of(text, IndicatorLibrary()) == [
        ("format_version", 1, "format_version is missing (this engine reads version 1)"),
        ("id", 1, "id is missing"), ("name", 1, "name is missing"), ("version", 1, "version is missing")]


def test_unknown_key_with_suggestion(model_text, library):
    text = model_text(GOOD_INDEX.replace("column: c}", "column: c, wieght: 2}"))
    assert errors_of(text, library) == [("index/other", 13, "unknown key 'wieght' (did you mean 'weight'?)")]


def test_non_numeric_weight_and_bad_rounding(model_text, library):
    text = model_text(GOOD_INDEX.replace("id: root\n", "id: root\nrounding: {decimals: 2, method: up}\n")
                      .replace("column: c}", "column: c, weight: heavy}"))
    assert errors_of(text, library) == [
        ("index/other", 14, "weight must be a number, not 'heavy'"),
        ("index", 8, "unknown rounding method 'up'; allowed: half_up, half_even"),
    ]


def test_bad_missing_policy_and_transform(model_text, library):
    text = model_text(GOOD_INDEX.replace("column: a}", "column: a, transform: log2}")
                      .replace("  - id: crime\n", "  - id: crime\n    missing: {policy: impute_value}\n"))
    assert errors_of(text, library) == [
        ("index/crime/heroin", 12, "unknown transform 'log2' (did you mean 'log10'?); allowed: log10, log10_plus_1, sqrt, ln, clip, winsorise, "
             "scale, offset, power"),
        ("index/crime", 10, "missing policy impute_value needs value: NUMBER"),
    ]


def test_unknown_theme_and_theme_target(model_text, library):
    text = model_text(GOOD_INDEX) + (
        "themes:\n  weights: {drugs: 2, piracy: 1}\n  indicators:\n    drugs: [heroin, meth]\n")
    assert errors_of(text, library) == [
        ("themes/piracy", 15, "unknown theme 'piracy'; allowed: trafficking_in_human_beings, "
                              "migrant_smuggling_irregular_migration, terrorism_violent_extremism, drugs, "
                              "arms_trafficking, organised_crime, cybercrime, financial_crime, environmental_crime"),
        ("themes/drugs/meth", 17, "unknown indicator or node id"),
    ]


def test_log_of_non_positive_values_fails_at_compute_time_naming_countries(model_text, library):
    text = model_text("""\
        id: root
        children:
          - {id: ok, dataset: toy, column: a, transform: log10}
          - {id: shaky, dataset: toy, column: neg, transform: log10}
        """)
    model = load_model(text, library)
    with pytest.raises(ComputeError) as exc:
        compute(model, library)
    assert [(e.path, e.line, e.message) for e in exc.value.errors] == [
        ("index/shaky", 10, "transform log10 needs values > 0; not so for AAA, BBB")]
    assert isinstance(exc.value, ModelFileError)


def test_geometric_mean_of_negative_values_fails_naming_node(model_text, library):
    text = model_text("""\
        id: root
        aggregation: geometric_mean
        children:
          - {id: x, dataset: toy, column: neg, normalisation: z_score}
          - {id: y, dataset: toy, column: a}
        """)
    with pytest.raises(ComputeError) as exc:
        compute(load_model(text, library), library)
    assert exc.value.messages == [
        "index: geometric mean needs values >= 0 (check normalisation); not so for AAA, BBB"]


def test_home_dependent_column_without_home_country(model_text):
    text = model_text("""\
        id: root
        children:
          - {id: asylum, dataset: unhcr_asylum, column: new_applications_in_home, year: 2020}
        """)
    model = load_model(text)
    with pytest.raises(ComputeError) as exc:
        compute(model)
    assert exc.value.messages == [
        "index/asylum: column 'new_applications_in_home' needs a home country (set home_country in the model "
        "file or pass home_country=...)"]


def test_no_data_in_year(model_text, library):
    text = model_text("""\
        id: root
        children:
          - {id: a, dataset: toy, column: a, year: 1999}
        """)
    with pytest.raises(ComputeError) as exc:
        compute(load_model(text, library), library)
    assert exc.value.messages == ["index/a: no data for any country: toy / a in 1999"]


def test_all_zero_weights(model_text, library):
    text = model_text("""\
        id: root
        children:
          - {id: a, dataset: toy, column: a, weight: 0}
        """)
    assert errors_of(text, library) == [("index", 8, "weights of the children must not all be 0")]


def test_node_without_children_or_dataset(model_text, library):
    text = model_text("id: root\nchildren:\n  - {id: lonely}\n  - {label: no id, dataset: toy, column: a}\n")
    assert errors_of(text, library) == [
        ("index/lonely", 9, "a node needs children (or dataset and column for an indicator)"),
        ("index/children[1]", 10, "id is missing"),
    ]


def nested_index(levels: int) -> str:
    node = "{id: leaf, dataset: toy, column: a}"
    for i in range(levels):
        node = f"{{id: n{i}, children: [{node}]}}"
    return node


def test_a_tree_at_the_depth_bound_loads_and_computes(model_text, library):
    # 20 levels below the root: the bound (MAX_TREE_DEPTH) is not off by one.
    model = load_model(model_text(nested_index(20)), library)
    assert len(model.walk()) == 21
    assert compute(model, library).country("EEE")["score"] == pytest.approx(5.0)


def test_a_tree_beyond_the_depth_bound_is_refused(model_text, library):
    errors = errors_of(model_text(nested_index(21)), library)
    assert [message for _, _, message in errors] == ["the tree is deeper than 20 levels (the limit)"]


def test_aliases_count_each_time_they_are_used(model_text, library):
    # 8 aliases of 10 uses each: 10**8 values if followed; refused at the bound, in the file's terms.
    text = "a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    errors = errors_of(text + model_text(GOOD_INDEX), library)
    assert len(errors) == 1
    assert errors[0][2] == ("the model file expands to more than 50,000 values (the limit; YAML aliases count each "
                            "time they are used)")


def test_a_file_beyond_the_size_bound_is_refused(model_text, library):
    text = model_text(GOOD_INDEX) + "# " + "x" * 200_000 + "\n"
    assert errors_of(text, library) == [("", None, f"the model file has {len(text):,} characters; "
                                                   f"the limit is 200,000")]
