"""Fixtures of the priorities app tests: a small 6-indicator model on real GOCI/FSI data, users by role."""

import textwrap

import pytest

from dividend.pools.models import Role
from dividend.priorities import services

from ..factories import make_user

SMALL_MODEL = textwrap.dedent("""\
    format_version: 1
    id: small
    name: Small test model
    version: "1"
    home_country: BEL
    countries: [COL, MEX, NGA, AFG, SRB, ALB, MAR, TUR, UKR, BRA, PER, VEN]
    defaults: {year: 2023, direction: higher_is_more_relevant, normalisation: {method: goalposts, min: 1, max: 10}}
    index:
      id: relevance
      rounding: {decimals: 4, method: half_even}
      children:
        - id: markets
          label: Criminal markets
          weight: 2
          children:
            - {id: thb, label: Human trafficking, dataset: goci, column: Human trafficking}
            - {id: cocaine, label: Cocaine trade, dataset: goci, column: Cocaine trade, weight: 2}
            - {id: heroin, label: Heroin trade, dataset: goci, column: Heroin trade}
        - id: fragility
          label: Fragility
          children:
            - {id: security, label: Security apparatus, dataset: fsi, column: C1, year: {latest_up_to: 2024},
               normalisation: {method: goalposts, min: 0, max: 10}}
            - {id: refugees, label: Refugees and IDPs, dataset: fsi, column: S2, year: {latest_up_to: 2024},
               normalisation: {method: goalposts, min: 0, max: 10}}
            - {id: law, label: Law enforcement, dataset: goci, column: Law enforcement,
               direction: higher_is_less_relevant}
    themes:
      weights: {trafficking_in_human_beings: 2, drugs: 1}
      indicators: {trafficking_in_human_beings: [thb], drugs: [cocaine, heroin]}
    monte_carlo: {draws: 200, seed: 1}
    """)


@pytest.fixture
def small_text():
    return SMALL_MODEL


@pytest.fixture
def policy():
    return make_user(Role.POLICY_OFFICER, national=True)


@pytest.fixture
def analyst():
    return make_user(Role.ANALYST, national=True)


@pytest.fixture
def secondee():
    return make_user(Role.SECONDEE)


@pytest.fixture
def small_model(db, policy):
    return services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")


@pytest.fixture
def small_run(small_model, policy):
    run, _ = services.start_run(actor=policy, version=small_model.current_version, draws=300, seed=7,
                                label="baseline")
    return run
