"""In a real browser, the policy officer's day with the model: change a weight in the tree, preview the
ranking, save it as a new version and compare that version with the one before (issue 9, §3 and §6).
Screenshots of each step go to the test artefacts."""

import os

import pytest

from dividend.pools.models import Role
from dividend.priorities import services
from dividend.priorities.models import PriorityModelVersion, PriorityRun

from .browser import MARKS, launch, new_page, sign_in
from .factories import make_user
from .priorities_app.conftest import SMALL_MODEL

pytestmark = MARKS
SCREENSHOTS = os.environ.get("DIVIDEND_SCREENSHOTS", "")


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


def test_policy_officer_changes_a_weight_previews_saves_and_compares(browser, live_server, tmp_path):
    policy = make_user(Role.POLICY_OFFICER, national=True, username="policy")
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 800}), policy)

    page.goto(f"{live_server.url}/priorities/models/small/")
    page.click("text=Edit in the tree")
    page.wait_for_url(f"{live_server.url}/priorities/models/small/tree/")
    assert page.input_value("#id_weight__markets") == "2"
    _screenshot(page, "model tree - 1 open", tmp_path)

    page.fill("#id_weight__markets", "0")
    page.fill("#id_weight__fragility", "4")
    page.click("button[name=preview]")
    page.wait_for_selector("#preview")
    assert page.input_value("#id_weight__markets") == "0"  # the edited values stay in the form
    assert page.locator("#preview tbody tr").count() == 12
    assert "countries change rank" in page.inner_text("#preview-summary")
    _screenshot(page, "model tree - 2 preview", tmp_path)
    assert PriorityModelVersion.objects.filter(model=model).count() == 1
    assert PriorityRun.objects.count() == 0

    page.fill("#id_comment", "Fragility first")
    page.click("button[name=save]")
    page.wait_for_url(f"{live_server.url}/priorities/models/small/versions/2/changes/")
    values = page.inner_text("#changed-values")
    assert "Criminal markets" in values and "Fragility" in values
    assert "+      weight: 0" in page.inner_text("#text-diff")
    _screenshot(page, "model tree - 3 changes of version 2", tmp_path)
    version = PriorityModelVersion.objects.get(model=model, number=2)
    assert (version.comment, version.author_id) == ("Fragility first", policy.pk)

    page.click("text=Version history")
    page.click("#versions a:has-text('changes')")
    page.wait_for_url(f"{live_server.url}/priorities/models/small/versions/2/changes/")

    # Bad input: the message stands next to the field and nothing is saved.
    page.goto(f"{live_server.url}/priorities/models/small/tree/")
    page.fill("#id_weight__cocaine", "-3")
    page.click("button[name=save]")
    assert page.evaluate("document.querySelector('#id_weight__cocaine').validity.rangeUnderflow") is True
    assert page.url == f"{live_server.url}/priorities/models/small/tree/"
    # Past the browser's own check (min="0"), the server refuses it too.
    page.evaluate("document.querySelector('#model-tree').noValidate = true")
    page.click("button[name=save]")
    page.wait_for_selector("#error-weight__cocaine")
    assert page.inner_text("#error-weight__cocaine") == "Ensure this value is greater than or equal to 0."
    _screenshot(page, "model tree - 4 bad weight", tmp_path)
    assert PriorityModelVersion.objects.filter(model=model).count() == 2


def test_a_german_policy_officer_adds_and_removes_nodes(browser, live_server, tmp_path):
    policy = make_user(Role.POLICY_OFFICER, national=True, username="policy")
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    page = sign_in(new_page(browser, live_server, viewport={"width": 1366, "height": 800}, locale="de-DE"), policy)

    page.goto("/priorities/models/small/tree/")
    assert page.inner_text("#add-node h2") == "Indikator hinzufügen"
    page.select_option("#id_add-parent", "markets")
    page.fill("#id_add-node_id", "arms")
    page.fill("#id_add-label", "Waffenhandel")
    page.fill("#id_add-dataset", "goci")
    page.fill("#id_add-column", "Arms trafficking")
    _screenshot(page, "model tree - 5 add a node", tmp_path)
    page.click("button[name=add]")
    page.wait_for_url("**/priorities/models/small/versions/2/changes/")
    assert "Waffenhandel" in page.inner_text("#changed-values")
    _screenshot(page, "model tree - 6 node added", tmp_path)

    # A node a theme uses is not removed: the page says why, and nothing is saved.
    page.goto("/priorities/models/small/tree/")
    page.click("#node-cocaine button[name=remove]")
    page.wait_for_selector("#problems")
    assert "Cocaine trade kann nicht entfernt werden: es wird verwendet von dem Thema „Drogen“." in page.inner_text(
        "#problems")
    _screenshot(page, "model tree - 7 removal refused", tmp_path)
    assert PriorityModelVersion.objects.filter(model=model).count() == 2

    page.goto("/priorities/models/small/tree/")
    page.click("#node-arms button[name=remove]")
    page.wait_for_url("**/priorities/models/small/versions/3/changes/")
    assert PriorityModelVersion.objects.get(model=model, number=3).text == SMALL_MODEL
    page.goto("/priorities/models/small/tree/")
    assert page.locator("#node-arms").count() == 0
