"""Products (issue 12 §5): composed from accepted reports, a stable reference per kind and year, the
states and who moves them (author ≠ approver), TLP rules on products and audiences, every format
behind one gate; feedback to sources (§6)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reports import access, services, stix
from dividend.reports.models import (
    Audience,
    Citation,
    FieldReport,
    Product,
    ProductSection,
    ReportFeedback,
    SourceReliability,
    current_reliability,
)

from ..factories import make_user
from .test_reports import file, signed_in

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def accepted(world, key="draft-a", marking="green", **overrides):
    report = file(world, key=key, marking=marking, **overrides)
    return services.change_report_status(actor=world["users"]["analyst"], report=report, status="accepted")


def second_analyst(world):
    if "second" not in world:
        world["second"] = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2")
    return world["second"]


def draft(world, *, marking="amber", kind="flash", reports=(), audiences=()):
    author = world["users"]["analyst"]
    product = services.create_product(actor=author, kind=kind, title="Checkpoints north", marking=marking,
                                      period_start=TODAY - dt.timedelta(days=6), period_end=TODAY)
    services.add_section(actor=author, product=product, heading="Assessment", text="Calm.", reports=reports)
    if audiences:
        services.set_audiences(actor=author, product=product, audiences=audiences)
    return product


def audience(name, breadth, *members):
    a = Audience.objects.create(name=name, breadth=breadth)
    a.members.set(members)
    return a


def published(world, *, marking="amber", reports=(), audiences=(), approver=None, publish_as=None, reason=""):
    product = draft(world, marking=marking, reports=reports, audiences=audiences)
    services.submit_product(actor=world["users"]["analyst"], product=product)
    return services.publish_product(actor=approver or second_analyst(world), product=product, marking=publish_as,
                                    downgrade_reason=reason)


# --- References ------------------------------------------------------------------------------------

def test_references_count_per_kind_and_year(world):
    a = world["users"]["analyst"]
    made = [services.create_product(actor=a, kind=kind, title="T", marking="green", period_start=TODAY,
                                    period_end=TODAY) for kind in ("sitrep", "sitrep", "flash", "mandate", "sitrep")]
    year = timezone.now().year
    assert [p.reference for p in made] == [f"SITREP-{year}-1", f"SITREP-{year}-2", f"FLASH-{year}-1",
                                           f"MANDATE-{year}-1", f"SITREP-{year}-3"]


def test_a_product_without_a_marking_is_refused_and_nothing_stored(world):
    with pytest.raises(ValidationError) as error:
        services.create_product(actor=world["users"]["analyst"], kind="flash", title="T", marking="",
                                period_start=TODAY, period_end=TODAY)
    assert "marking" in error.value.message_dict
    assert Product.objects.count() == 0


def test_only_analysts_compose(world):
    with pytest.raises(PermissionDenied):
        services.create_product(actor=world["users"]["secondee"], kind="flash", title="T", marking="green",
                                period_start=TODAY, period_end=TODAY)


# --- Citing ----------------------------------------------------------------------------------------

def test_citing_a_report_not_accepted_is_refused_and_nothing_stored(world):
    report = file(world)
    product = services.create_product(actor=world["users"]["analyst"], kind="flash", title="T", marking="green",
                                      period_start=TODAY, period_end=TODAY)
    with pytest.raises(ValidationError) as error:
        services.add_section(actor=world["users"]["analyst"], product=product, heading="H", text="x",
                             reports=[report])
    assert error.value.message_dict["reports"] == [
        "Only accepted reports are cited; not accepted: Week at the northern border."]
    assert (ProductSection.objects.count(), Citation.objects.count()) == (0, 0)


def test_citing_a_report_the_author_may_not_read_is_refused(world):
    report = accepted(world)
    beta = world["users"]["analyst_beta"]
    product = services.create_product(actor=beta, kind="flash", title="T", marking="green", period_start=TODAY,
                                      period_end=TODAY)
    with pytest.raises(ValidationError) as error:
        services.add_section(actor=beta, product=product, heading="H", text="x", reports=[report])
    assert error.value.message_dict["reports"] == [f"Not a report you may read: {report.pk}."]
    assert ProductSection.objects.count() == 0


def test_citing_a_stricter_report_raises_the_products_marking(world):
    product = draft(world, marking="green", reports=[accepted(world, marking="amber_strict")])
    assert product.marking == "amber_strict"


def test_the_author_may_not_mark_below_the_sources(world):
    product = draft(world, marking="green", reports=[accepted(world, marking="amber")])
    with pytest.raises(ValidationError):
        services.set_marking(actor=world["users"]["analyst"], product=product, marking="green")
    assert Product.objects.get().marking == "amber"


# --- Audiences -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("marking", "breadths"), [
    ("red", {"named"}),
    ("amber_strict", {"named", "organisation"}),
    ("amber", {"named", "organisation", "partners"}),
    ("green", {"named", "organisation", "partners", "community"}),
    ("clear", {"named", "organisation", "partners", "community", "public"}),
])
def test_each_marking_reaches_only_the_breadths_tlp_allows(world, marking, breadths):
    product = draft(world, marking=marking)
    allowed = set()
    for breadth in ("named", "organisation", "partners", "community", "public"):
        try:
            services.set_audiences(actor=world["users"]["analyst"], product=product,
                                   audiences=[audience(breadth, breadth)])
        except ValidationError:
            continue
        allowed.add(breadth)
    assert allowed == breadths


def test_submitting_without_an_audience_is_refused(world):
    product = draft(world)
    with pytest.raises(ValidationError) as error:
        services.submit_product(actor=world["users"]["analyst"], product=product)
    assert error.value.message_dict == {"audiences": ["Choose at least one distribution list."]}
    assert Product.objects.get().status == "draft"


# --- Approval --------------------------------------------------------------------------------------

def test_the_author_may_not_approve_their_own_product(world):
    product = draft(world, audiences=[audience("Org", "organisation")])
    services.submit_product(actor=world["users"]["analyst"], product=product)
    with pytest.raises(PermissionDenied):
        services.publish_product(actor=world["users"]["analyst"], product=product)
    product.refresh_from_db()
    assert (product.status, product.approver_id, product.published_at) == ("submitted", None, None)


def test_a_second_analyst_publishes(world):
    second = second_analyst(world)
    product = published(world, audiences=[audience("Org", "organisation")], approver=second)
    product.refresh_from_db()
    assert (product.status, product.approver, product.downgrade_reason) == ("published", second, "")
    entry = AuditEntry.objects.filter(object_type="reports.product", action="status").first()
    assert entry.detail["to"] == "published" and entry.actor_id == second.pk


def test_an_analyst_of_another_pool_may_not_approve_a_product_citing_reports_they_do_not_read(world):
    product = draft(world, reports=[accepted(world)], audiences=[audience("Org", "organisation")])
    services.submit_product(actor=world["users"]["analyst"], product=product)
    with pytest.raises(PermissionDenied):
        services.publish_product(actor=world["users"]["analyst_beta"], product=product)


def test_returning_needs_a_reason(world):
    product = draft(world, audiences=[audience("Org", "organisation")])
    services.submit_product(actor=world["users"]["analyst"], product=product)
    second = second_analyst(world)
    with pytest.raises(ValidationError):
        services.return_product(actor=second, product=product, reason=" ")
    services.return_product(actor=second, product=product, reason="Add the sources.")
    product.refresh_from_db()
    assert (product.status, product.status_reason) == ("draft", "Add the sources.")


def test_a_downgrade_without_a_reason_is_refused_and_nothing_changes(world):
    product = draft(world, reports=[accepted(world, marking="amber")], audiences=[audience("N", "named")])
    services.submit_product(actor=world["users"]["analyst"], product=product)
    with pytest.raises(ValidationError) as error:
        services.publish_product(actor=second_analyst(world), product=product, marking="green")
    assert list(error.value.message_dict) == ["downgrade_reason"]
    product.refresh_from_db()
    assert (product.status, product.marking) == ("submitted", "amber")


def test_a_downgrade_with_a_reason_is_recorded_and_audited(world):
    second = second_analyst(world)
    product = published(world, reports=[accepted(world, marking="amber")], audiences=[audience("N", "named")],
                        approver=second, publish_as="green", reason="Sanitised: names removed.")
    product.refresh_from_db()
    assert (product.marking, product.downgraded_by, product.downgrade_reason) == (
        "green", second, "Sanitised: names removed.")
    entry = AuditEntry.objects.filter(object_type="reports.product", action="status").first()
    assert (entry.detail["downgraded"], entry.detail["sources_marking"], entry.detail["downgrade_reason"]) == (
        True, "amber", "Sanitised: names removed.")


def test_withdrawal_needs_a_reason_and_ends_the_audiences_reading(world):
    reader = make_user(None, username="partner")
    product = published(world, audiences=[audience("Org", "organisation", reader)])
    assert access.can_read_product(reader, product)
    with pytest.raises(ValidationError):
        services.withdraw_product(actor=world["users"]["analyst"], product=product, reason="")
    services.withdraw_product(actor=world["users"]["analyst"], product=product, reason="Superseded.")
    assert not access.can_read_product(reader, product)
    assert list(Product.objects.visible_to(reader)) == []


def test_a_withdrawn_product_moves_no_further(world):
    product = published(world, audiences=[audience("Org", "organisation")])
    services.withdraw_product(actor=world["users"]["analyst"], product=product, reason="Superseded.")
    with pytest.raises(ValidationError):
        services.withdraw_product(actor=world["users"]["analyst"], product=product, reason="Again.")


# --- Readers ---------------------------------------------------------------------------------------

def test_a_draft_reaches_no_audience(world):
    reader = make_user(None, username="partner")
    product = draft(world, audiences=[audience("Org", "organisation", reader)])
    assert not access.can_read_product(reader, product)
    assert list(Product.objects.visible_to(reader)) == []


def test_the_secondee_reads_the_product_only_through_an_audience(world):
    secondee = world["users"]["secondee"]
    report = accepted(world)
    outside = published(world, reports=[report], audiences=[audience("Org", "organisation")])
    inside = published(world, reports=[report], audiences=[audience("Mission", "named", secondee)])
    assert [p.pk for p in Product.objects.visible_to(secondee)] == [inside.pk]
    assert not access.can_read_product(secondee, outside)


# --- STIX ------------------------------------------------------------------------------------------

def test_the_stix_bundle_carries_the_tlp_2_marking_definition(world):
    product = published(world, marking="amber_strict", audiences=[audience("Org", "organisation")])
    bundle = json.loads(stix.dumps(product))
    objects = {o["type"]: o for o in bundle["objects"]}
    assert bundle["type"] == "bundle"
    assert objects["marking-definition"] == {
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "created": "2022-10-01T00:00:00.000Z",
        "name": "TLP:AMBER+STRICT",
        "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension", "tlp_2_0": "amber+strict"}}}
    report = objects["report"]
    assert report["object_marking_refs"] == ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]
    assert report["name"] == f"{product.reference} Checkpoints north"
    assert objects["note"]["object_marking_refs"] == report["object_marking_refs"]
    assert report["object_refs"] == [objects["note"]["id"]]


# --- Feedback to sources ---------------------------------------------------------------------------

def test_after_publication_the_author_of_each_cited_report_is_told(world, client):
    report = accepted(world)
    product = published(world, reports=[report], audiences=[audience("Org", "organisation")])
    assert services.used_in([report.pk]) == {report.pk: [product]}
    page = signed_in(client, world["users"]["secondee"]).get("/reports/")
    assert f"was used in {product.reference}" in page.content.decode()


def test_a_draft_tells_the_author_nothing(world):
    report = accepted(world)
    draft(world, reports=[report])
    assert services.used_in([report.pk]) == {}


def test_feedback_false_needs_a_note_and_lowers_the_reliability(world):
    report = accepted(world)  # graded B by the source
    analyst = world["users"]["analyst"]
    with pytest.raises(ValidationError):
        services.give_feedback(actor=analyst, report=report, verdict="false")
    assert ReportFeedback.objects.count() == 0
    services.give_feedback(actor=analyst, report=report, verdict="false", note="The checkpoint never existed.")
    assert current_reliability(world["officer"]) == "C"
    assert SourceReliability.objects.first().reason == f"report {report.pk} marked false"


@pytest.mark.parametrize(("before", "verdict", "after"), [
    ("B", "useful", "B"), ("C", "useful", "B"), ("F", "useful", "C"), ("A", "useful", "A"),
    ("B", "unverified", "B"), ("E", "false", "E"), ("F", "false", "E"), ("A", "false", "B")])
def test_where_a_verdict_fits_the_reliability(before, verdict, after):
    assert (services._adjusted_grade(before, verdict) or before) == after


def test_the_author_reads_the_feedback(world, client):
    report = accepted(world)
    services.give_feedback(actor=world["users"]["analyst"], report=report, verdict="useful", note="Confirmed.")
    page = signed_in(client, world["users"]["secondee"]).get(f"/reports/{report.pk}/").content.decode()
    assert "Useful" in page and "Confirmed." in page


def test_a_secondee_may_not_give_feedback(world):
    report = accepted(world)
    with pytest.raises(PermissionDenied):
        services.give_feedback(actor=world["users"]["secondee"], report=report, verdict="useful")


def test_feedback_is_refused_for_a_report_of_another_pool(world):
    report = accepted(world)
    with pytest.raises(PermissionDenied):
        services.give_feedback(actor=world["users"]["analyst_beta"], report=report, verdict="useful")
    assert FieldReport.objects.get().feedback.count() == 0
