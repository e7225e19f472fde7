"""The default model evaluated as of earlier years uses the GOCI edition in force then."""

import numpy as np

from dividend.priorities.engine import compare_results, compute, shipped_model


def test_default_model_as_of_2021_and_2023():
    model = shipped_model("internal_security_default")
    as_2021 = compute(model, home_country="NLD", as_of_year=2021)
    as_2023 = compute(model, home_country="NLD", as_of_year=2023)
    assert set(np.unique(as_2021.value_years["human_trafficking"])) <= {0, 2021}
    assert set(np.unique(as_2023.value_years["human_trafficking"])) <= {0, 2023}
    # Financial crimes entered GOCI in 2023: missing everywhere as of 2021, present as of 2023.
    assert (as_2021.value_years["financial_crimes"] == 0).all()
    assert (as_2023.value_years["financial_crimes"] == 2023).sum() > 150
    assert len(as_2021.countries) == len(as_2023.countries) == 192
    shifts = compare_results(as_2021, as_2023)
    assert len(shifts) == 192 and any(s.shift != 0 for s in shifts)
