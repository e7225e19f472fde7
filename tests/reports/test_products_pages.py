"""Products' pages and API (issue 12 §5–6): bad input gives a clear error and stores nothing, reads
are audited, the funnel counts over what the reader sees and draws its chart without inline styles."""

import csv
import datetime as dt
import io
import json

import pytest

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reports import services
from dividend.reports.models import Audience, Product, ProductSection

from ..factories import make_user
from .test_reports import file, signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def flash(world):
    """Aalto's report accepted and cited in a published flash report to a named list with Aalto; a
    second report left new."""
    analyst = world["users"]["analyst"]
    report = services.change_report_status(actor=analyst, report=file(world), status="accepted")
    file(world, key="second-one")
    product = services.create_product(actor=analyst, kind="flash", title="Flash", marking="green",
                                      period_start=TODAY, period_end=TODAY)
    services.add_section(actor=analyst, product=product, heading="H", text="Calm.", reports=[report])
    team = services.create_audience(actor=analyst, name="Team", breadth="named", members=[world["users"]["secondee"]])
    services.set_audiences(actor=analyst, product=product, audiences=[team])
    services.submit_product(actor=analyst, product=product)
    second = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2")
    services.publish_product(actor=second, product=product)
    return {"product": product, "report": report, "second": second}


def test_the_api_refuses_a_product_without_a_marking_and_stores_nothing(client, world):
    response = post_json(signed_in(client, world["users"]["analyst"]), "/api/reports/products", {
        "kind": "flash", "title": "T", "period_start": str(TODAY), "period_end": str(TODAY), "marking": ""})
    assert response.status_code == 400
    assert "marking" in json.dumps(response.json())
    assert Product.objects.count() == 0


def test_the_api_refuses_citing_a_report_not_accepted(client, world):
    report = file(world)
    product = services.create_product(actor=world["users"]["analyst"], kind="sitrep", title="T", marking="green",
                                      period_start=TODAY, period_end=TODAY)
    response = post_json(signed_in(client, world["users"]["analyst"]),
                         f"/api/reports/products/{product.pk}/sections",
                         {"heading": "H", "text": "T", "reports": [report.pk]})
    assert response.status_code == 400
    assert "Only accepted reports are cited" in json.dumps(response.json())
    assert ProductSection.objects.count() == 0


def test_the_api_refuses_approving_ones_own_product(client, world):
    analyst = world["users"]["analyst"]
    product = services.create_product(actor=analyst, kind="sitrep", title="T", marking="green",
                                      period_start=TODAY, period_end=TODAY)
    services.add_section(actor=analyst, product=product, heading="H", text="T")
    services.set_audiences(actor=analyst, product=product,
                           audiences=[Audience.objects.create(name="Org", breadth="organisation")])
    services.submit_product(actor=analyst, product=product)
    response = post_json(signed_in(client, analyst), f"/api/reports/products/{product.pk}/move", {"move": "publish"})
    assert response.status_code == 403
    assert Product.objects.get().status == "submitted"


def test_the_page_refuses_a_downgrade_without_a_reason(client, world, flash):
    analyst = world["users"]["analyst"]
    product = services.create_product(actor=analyst, kind="sitrep", title="T", marking="green",
                                      period_start=TODAY, period_end=TODAY)
    services.add_section(actor=analyst, product=product, heading="H", text="T", reports=[flash["report"]])
    services.set_audiences(actor=analyst, product=product, audiences=list(Audience.objects.all()))
    services.submit_product(actor=analyst, product=product)
    response = signed_in(client, flash["second"]).post(f"/reports/products/{product.pk}/move/",
                                                       {"move": "publish", "marking": "clear", "reason": ""},
                                                       follow=True)
    assert "a lower marking needs a reason" in response.content.decode()
    product.refresh_from_db()
    assert (product.status, product.marking) == ("submitted", "green")


def test_reading_a_product_is_audited_with_the_sources_authors(client, world, flash):
    signed_in(client, world["users"]["analyst"]).get(f"/reports/products/{flash['product'].pk}/")
    entry = AuditEntry.objects.filter(action="read", object_type="reports.product").get()
    assert entry.detail == {"reference": flash["product"].reference, "marking": "green",
                            "officer_ids": [world["officer"].pk]}


def test_an_audience_member_reads_no_source(client, world, flash):
    page = signed_in(client, world["users"]["secondee"]).get(f"/reports/products/{flash['product'].pk}/")
    body = page.content.decode()
    assert "Based on 1 field report." in body and "Week at the northern border" not in body
    data = client.get(f"/api/reports/products/{flash['product'].pk}").json()
    assert [s["cited_reports"] for s in data["sections"]] == [[]]


def test_the_pdf_says_its_marking(client, world, flash):
    response = signed_in(client, world["users"]["secondee"]).get(f"/reports/products/{flash['product'].pk}/pdf/")
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (200, "application/pdf",
                                                                                      b"%PDF-")
    assert AuditEntry.objects.filter(action="export", object_type="reports.product").get().detail["format"] == "pdf"


def test_the_products_list_takes_a_fixed_number_of_queries(client, world, flash, django_assert_num_queries):
    client = signed_in(client, world["users"]["analyst"])
    client.get("/reports/products/")
    for i in range(3):
        services.create_product(actor=world["users"]["analyst"], kind="sitrep", title=f"T{i}", marking="green",
                                period_start=TODAY, period_end=TODAY)
    # session, user, role assignments, the products (no audit entry: titles and markings only)
    with django_assert_num_queries(4):
        assert client.get("/reports/products/").status_code == 200


def test_the_funnel_counts_over_the_reports_the_reader_sees(client, world, flash):
    data = signed_in(client, world["users"]["analyst"]).get("/api/reports/funnel").json()
    assert data == {"year": TODAY.year, "received": 2, "accepted": 1, "cited": 1, "products": 1,
                    "missions": [{"mission": "EUTEST", "received": 2, "accepted": 1, "cited": 1, "products": 1}]}
    other = signed_in(client, world["users"]["analyst_beta"]).get("/api/reports/funnel").json()
    assert (other["received"], other["products"], other["missions"]) == (0, 0, [])


def test_the_funnel_chart_has_no_inline_style_or_script(client, world, flash):
    body = signed_in(client, world["users"]["analyst"]).get("/reports/funnel/").content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "2 received → 1 accepted → 1 cited → 1 products" in body


def test_the_funnel_exports_csv(client, world, flash):
    response = signed_in(client, world["users"]["analyst"]).get(f"/reports/funnel/?year={TODAY.year}&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [["Mission", "Received", "Accepted", "Cited", "Products"], ["EUTEST", "2", "1", "1", "1"]]


def test_a_funnel_year_out_of_range_is_a_clear_error(client, world):
    response = signed_in(client, world["users"]["analyst"]).get("/api/reports/funnel?year=99999")
    assert response.status_code == 400


def test_feedback_through_the_api(client, world, flash):
    client = signed_in(client, world["users"]["analyst"])
    bad = post_json(client, f"/api/reports/{flash['report'].pk}/feedback", {"verdict": "false"})
    assert bad.status_code == 400 and "Say what was false" in json.dumps(bad.json())
    good = post_json(client, f"/api/reports/{flash['report'].pk}/feedback", {"verdict": "useful", "note": "Yes."})
    assert (good.status_code, good.json()["verdict"]) == (201, "useful")

