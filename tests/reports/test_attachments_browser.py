"""In a real browser on a phone-sized screen: a secondee files a report with a PDF and a photo
attached, sees them listed on the report, and a refused file leaves the form with its message."""

from dividend.reports.models import FieldReport, ReportAttachment

from ..browser import MARKS, new_page, sign_in
from ..test_browser_forms import browser  # noqa: F401 - the browser fixture
from . import attachment_files as files

pytestmark = MARKS

PHONE = {"width": 375, "height": 740}


def test_a_secondee_files_a_report_with_attachments_on_a_phone(live_server, browser, world, tmp_path):  # noqa: F811
    (tmp_path / "week.pdf").write_bytes(files.pdf("Checkpoint at Gao closed"))
    (tmp_path / "photo.jpg").write_bytes(files.jpeg())
    (tmp_path / "bomb.docx").write_bytes(files.zip_bomb_docx(60 * 1024 * 1024))
    phone = sign_in(new_page(browser, live_server, viewport=PHONE), world["users"]["secondee"],
                    next_url="/reports/new/")
    phone.fill("#id_title", "Northern checkpoints")
    phone.fill("#id_body", "Two checkpoints closed overnight.")
    phone.set_input_files("#id_attachments", [str(tmp_path / "bomb.docx")])
    with phone.expect_navigation():
        phone.click("#report-form button[type=submit]")
    assert "The DOCX file expands to 60.8 MB; the limit is 50 MB." in phone.locator("#report-form").inner_text()
    assert FieldReport.objects.count() == 0
    assert phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") == 0
    phone.screenshot(path="/tmp/intake-refused-attachment.png", full_page=True)

    phone.set_input_files("#id_attachments", [str(tmp_path / "week.pdf"), str(tmp_path / "photo.jpg")])
    phone.screenshot(path="/tmp/intake-form-with-attachments.png", full_page=True)
    with phone.expect_navigation():
        phone.click("#report-form button[type=submit]")
    report = FieldReport.objects.get()
    assert [(a.name, a.kind) for a in ReportAttachment.objects.order_by("position")] == [("week.pdf", "pdf"),
                                                                                         ("photo.jpg", "jpeg")]
    listed = phone.locator("#report-attachments").inner_text()
    assert "week.pdf" in listed and "photo.jpg" in listed
    assert phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") == 0
    phone.screenshot(path="/tmp/intake-report-with-attachments.png", full_page=True)
    with phone.expect_download() as download:
        phone.click("#report-attachments a:has-text('week.pdf')")
    assert download.value.suggested_filename == "week.pdf"
    assert report.attachments.get(position=1).text == "Checkpoint at Gao closed"
