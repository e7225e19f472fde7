"""In a real browser: a coordinator sends an alert to the officers the crisis query finds, a secondee
answers on a phone from the e-mail's link, the coordinator's page shows the answer as it comes
(htmx polling), then the coordinator deploys one and stands the rest down; the outbox holds the
alert and the outcome for each recipient with an address."""

import re
from urllib.parse import urlsplit

from django.core import mail

from dividend.alerts import services
from dividend.alerts.models import Alert, Recipient
from dividend.secondments.models import Secondment

from ..browser import MARKS, new_page, sign_in
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture

pytestmark = MARKS

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 375, "height": 740}


def test_an_alert_from_the_crisis_query_to_deployment(live_server, browser, world):  # noqa: F811
    o, users = world["officers"], world["users"]
    coordinator = sign_in(new_page(browser, live_server, viewport=DESKTOP), users["coordinator"])
    coordinator.goto("/alerts/")
    coordinator.click("#new-alert")
    coordinator.select_option("#id_theme", label="Organised crime")
    with coordinator.expect_navigation():
        coordinator.click("#crisis-form button[type=submit]")
    ticked = coordinator.locator("#candidates input[name=officers]:checked")
    assert sorted(int(v) for v in ticked.evaluate_all("els => els.map(e => e.value)")) == sorted(
        o[n].pk for n in ("aalto", "berg", "dahl"))  # Carlsson (pool beta) is not offered
    coordinator.fill("#id_title", "Hurricane in Haiti")
    coordinator.fill("#id_message", "Liaison officers for the embassy, leaving within days.")
    coordinator.select_option("#id_position", label="Disaster liaison officer – EUHURR")
    with coordinator.expect_navigation():
        coordinator.click("#alert-form button[type=submit]")
    alert = Alert.objects.get()
    assert urlsplit(coordinator.url).path == f"/alerts/{alert.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["aino.aalto@example.org", "bo.berg@example.org"]
    coordinator.screenshot(path="/tmp/alerts-sent.png", full_page=True)

    # Aalto opens the e-mail's link on a phone and answers.
    (to_aalto,) = [m for m in mail.outbox if m.to == ["aino.aalto@example.org"]]
    link = urlsplit(re.search(r"https?://\S+/alerts/\d+/answer/", to_aalto.body).group(0)).path
    phone = sign_in(new_page(browser, live_server, viewport=PHONE), users["aalto"], next_url=link)
    assert phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") == 0
    phone.check("input[name=answer][value=available]")
    phone.fill("#id_note", "Passport at home, ready Thursday")
    with phone.expect_navigation():
        phone.click("#reply-form button[type=submit]")
    assert "Your answer: Available" in phone.locator("#my-answer").inner_text()
    phone.screenshot(path="/tmp/alerts-phone.png", full_page=True)
    services.reply(actor=users["berg"], recipient=Recipient.objects.get(officer=o["berg"]), answer="available")

    # The coordinator's page shows both answers without a reload.
    coordinator.wait_for_selector(f"#deploy-{o['berg'].pk}", timeout=15_000)
    assert "Passport at home, ready Thursday" in coordinator.locator(f"#recipient-{o['aalto'].pk}").inner_text()
    assert coordinator.locator("#fig-rate").inner_text() == "66.7 %"

    mail.outbox.clear()
    coordinator.check(f"#deploy-{o['aalto'].pk}")
    with coordinator.expect_navigation():
        coordinator.click("#deploy-form button[type=submit]")
    assert "everyone else is told to stand down" in coordinator.locator("ul.messages").inner_text()
    alert.refresh_from_db()
    assert alert.status == "closed"
    assert dict(alert.recipients.values_list("officer__last_name", "outcome")) == {
        "Aalto": "deployed", "Berg": "stood_down", "Dahl": "stood_down"}
    assert Secondment.objects.get().officer == o["aalto"]
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("aino.aalto@example.org", "Deployment confirmed: Hurricane in Haiti"),
        ("bo.berg@example.org", "Stand down: Hurricane in Haiti")]
    assert coordinator.locator("#deploy-form").count() == 0  # closed: nothing more to do
    coordinator.screenshot(path="/tmp/alerts-closed.png", full_page=True)
    phone.reload()
    assert "You are chosen for this deployment" in phone.locator("#my-answer").inner_text()
