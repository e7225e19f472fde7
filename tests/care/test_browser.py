"""In a real browser: the desk officer opens the duty-of-care board, finds their secondee's contact
overdue, opens the care page, logs a contact (the board then no longer lists it), and saves the desk
officer and the pool's care officers unchanged: nothing changes, nothing is logged."""

import datetime as dt

from dividend.audit.models import AuditEntry
from dividend.care import services
from dividend.care.models import CareFile, Contact, PoolCareOfficers
from dividend.pools.models import Role
from dividend.secondments.models import Secondment

from ..browser import MARKS
from ..factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user
from ..test_browser_forms import browser, log_in  # noqa: F401 - the browser fixture

pytestmark = MARKS


def test_the_desk_officer_logs_a_contact_from_the_board(live_server, browser):  # noqa: F811
    pool = make_pool("bpol", name="Bundespolizei")
    desk = make_user(Role.COORDINATOR, pools=[pool], username="desk")
    hr = make_user(Role.HR_MANAGER, pools=[pool], username="hr")
    duty, head = make_user(None, username="duty"), make_user(None, username="head")
    officer = make_officer(pool, first_name="Aino", last_name="Aalto")
    today = dt.date.today()
    secondment = make_secondment(officer, make_position(make_mission("EULEX", countries=["XKX"])),
                                 status=Secondment.Status.DEPLOYED, start=today - dt.timedelta(days=40),
                                 end=today + dt.timedelta(days=200))
    services.assign_desk_officer(actor=hr, secondment=secondment, desk_officer=desk)
    services.name_care_officers(actor=hr, pool=pool, duty_officer=duty, head_of_unit=head)
    page = log_in(browser, live_server, desk)

    page.goto(f"{live_server.url}/care/")
    overdue = page.locator("#board-contact")
    assert "Aino Aalto" in overdue.inner_text()
    page.screenshot(path="/tmp/care_board.png", full_page=True)
    with page.expect_navigation():
        overdue.get_by_role("link", name="Aino Aalto").click()
    page.fill("#id_contact_on", (today - dt.timedelta(days=1)).isoformat())
    page.select_option("#id_channel", "video")
    page.select_option("#id_wellbeing", "concern")
    page.fill("#id_notes", "Tired after the night shifts.")
    with page.expect_navigation():
        page.click("#contact-form button[type=submit]")
    assert "Tired after the night shifts." in page.locator("#contacts").inner_text()
    page.screenshot(path="/tmp/care_secondment.png", full_page=True)
    contact = Contact.objects.get()
    assert (contact.channel, contact.wellbeing, contact.recorded_by_id) == ("video", "concern", desk.pk)
    page.goto(f"{live_server.url}/care/")
    assert "Aino Aalto" not in page.locator("#board-contact").inner_text()

    # Every edit form saved unchanged: nothing changes, nothing is logged.
    file_before = CareFile.objects.values().get()
    officers_before = PoolCareOfficers.objects.values().get()
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    hr_page = log_in(browser, live_server, hr)
    hr_page.goto(f"{live_server.url}/care/secondments/{secondment.pk}/")
    with hr_page.expect_navigation():
        hr_page.click("#desk-form button[type=submit]")
    hr_page.goto(f"{live_server.url}/care/officers/")
    with hr_page.expect_navigation():
        hr_page.click("#care-officers form button[type=submit]")
    assert CareFile.objects.values().get() == file_before
    assert PoolCareOfficers.objects.values().get() == officers_before
    assert not AuditEntry.objects.filter(id__gt=last_entry).exclude(action__in=["read", "list", "login"]).exists()
