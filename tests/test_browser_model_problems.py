"""In a real browser, in German: a policy officer checks and saves a model file with problems in the
model editor and reads every problem in German, formulas, data and uploads included (issue 9, §4).
Screenshots go to the test artefacts (DIVIDEND_SCREENSHOTS, else the test's own folder)."""

import os

import pytest

from dividend.pools.models import Role
from dividend.priorities import services
from dividend.priorities.models import PriorityModelVersion

from .browser import MARKS, launch, new_page, sign_in
from .factories import make_user
from .priorities_app.conftest import SMALL_MODEL

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")

# Four problems of different kinds: a formula, a reference to a dataset column, a transform, a key.
WITH_PROBLEMS = (SMALL_MODEL
                 .replace("  id: relevance\n", "  id: relevance\n  formula: \"if(markets > 1, markets, fragility)\"\n")
                 .replace("column: Cocaine trade", "column: Cocain trade")
                 .replace("{id: heroin, label: Heroin trade,", "{id: heroin, label: Heroin trade, transform: log11,")
                 + "monte_carl: {draws: 10}\n")
GERMAN = [
    "Fehler in der Formel: Vergleich '>' mit einem Wert, der fehlen kann (markets); zuerst prüfen, z. B. "
    "not is_missing(markets) and ... an Position 12",
    "unbekannte Spalte 'Cocain trade' im Datensatz 'goci' (meinten Sie 'Cocaine trade'?)",
    "unbekannter Wert für transform: 'log11' (meinten Sie 'log10'?); erlaubt:",
    "unbekannter Schlüssel 'monte_carl' (meinten Sie 'monte_carlo'?)",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM runs between browser steps, not during them
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def _screenshot(page, name, tmp_path):
    folder = SCREENSHOTS or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_a_german_policy_officer_reads_the_models_problems_in_german(browser, live_server, tmp_path):
    policy = make_user(Role.POLICY_OFFICER, national=True, username="policy")
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 900}, locale="de-DE"),
                   policy)

    page.goto(f"{live_server.url}/priorities/models/small/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.fill("textarea[name=text]", WITH_PROBLEMS)
    page.click("button:has-text('Prüfen')")
    page.wait_for_selector("#problems table")
    checked = page.inner_text("#problems")
    assert "4 Probleme" in checked
    for said in GERMAN:
        assert said in checked, said
    _screenshot(page, "model editor - problems checked in German", tmp_path)

    page.click("button:has-text('Als neue Version speichern')")
    page.wait_for_selector("#problems table")
    saved = page.inner_text("#problems")
    assert "4 Probleme, nichts wurde gespeichert" in saved
    for said in GERMAN:
        assert said in saved, said
    assert "did you mean" not in saved and "unknown" not in saved
    _screenshot(page, "model editor - problems on saving in German", tmp_path)
    assert PriorityModelVersion.objects.filter(model=model).count() == 1
