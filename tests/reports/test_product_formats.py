"""The TLP property over every format (issue 12 §5): for random markings of the cited reports, random
audiences and members, a published product is read — as its page, PDF, STIX 2.1 JSON and through the
API — only by its producers and by members of an audience whose breadth its marking allows, and its
marking is at least as strict as every cited report's unless the approver recorded a reason."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dividend.pools.models import Role
from dividend.reports import access, services
from dividend.reports.models import (
    BREADTH_MARKING,
    STRICTNESS,
    Audience,
    Breadth,
    Marking,
    Product,
)

from ..factories import complete_sign_in, make_user
from .test_reports import file

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
EXAMPLES = itertools.count()
FORMATS = ["/reports/products/{pk}/", "/reports/products/{pk}/pdf/", "/reports/products/{pk}/stix/",
           "/api/reports/products/{pk}", "/api/reports/products/{pk}/stix"]


@pytest.fixture
def cast(world):
    """A second analyst and four users without roles who may be on lists."""
    second = make_user(Role.ANALYST, pools=[world["pools"][0]], username="ana2")
    outsiders = [make_user(None, username=f"reader{i}") for i in range(4)]
    return {"second": second, "outsiders": outsiders}


def readers(client, product, users) -> dict[str, set]:
    """Per format, the usernames that get the product (200)."""
    got = {}
    for fmt in FORMATS:
        url = fmt.format(pk=product.pk)
        got[fmt] = set()
        for user in users:
            client.force_login(user)
            complete_sign_in(client, user)
            if client.get(url).status_code == 200:
                got[fmt].add(user.username)
    return got


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_format_reaches_only_whom_the_markings_allow(client, world, cast, data):
    analyst = world["users"]["analyst"]
    n = next(EXAMPLES)  # examples share the test's database: fresh keys and names each time
    markings = data.draw(st.lists(st.sampled_from(Marking.values), min_size=1, max_size=3), label="sources")
    reports = []
    for i, marking in enumerate(markings):
        r = file(world, key=f"prop-{n}-{i}", marking=marking)
        reports.append(services.change_report_status(actor=analyst, report=r, status="accepted"))
    product = services.create_product(actor=analyst, kind="flash", title="P", marking="clear",
                                      period_start=TODAY, period_end=TODAY)
    services.add_section(actor=analyst, product=product, heading="H", text="T", reports=reports)
    everyone = [world["users"]["secondee"], *cast["outsiders"], world["users"]["analyst_beta"]]
    lists = []
    for i in range(data.draw(st.integers(1, 3), label="lists")):
        a = Audience.objects.create(name=f"list-{n}-{i}", breadth=data.draw(st.sampled_from(Breadth.values)))
        a.members.set(data.draw(st.lists(st.sampled_from(everyone), max_size=4, unique_by=lambda u: u.pk)))
        lists.append(a)
    try:
        services.set_audiences(actor=analyst, product=product, audiences=lists)
        services.submit_product(actor=analyst, product=product)
    except ValidationError:
        # A list the marking does not allow is refused: keep the allowed ones.
        allowed = [a for a in lists if a.may_receive(product.marking)]
        if not allowed:
            return
        services.set_audiences(actor=analyst, product=product, audiences=allowed)
        services.submit_product(actor=analyst, product=product)
    publish_as = data.draw(st.sampled_from([None, *Marking.values]), label="publish_as")
    reason = data.draw(st.sampled_from(["", "Sanitised."]), label="reason")
    try:
        services.publish_product(actor=cast["second"], product=product, marking=publish_as, downgrade_reason=reason)
    except ValidationError:
        product.refresh_from_db()
        assert product.status == "submitted"
        return
    product.refresh_from_db()
    sources = max(STRICTNESS[m] for m in markings)
    if STRICTNESS[product.marking] < sources:
        assert product.downgrade_reason and product.downgraded_by == cast["second"]
    # Whom the markings allow: producers, and members of an attached list whose breadth allows the marking.
    allowed = {analyst.username, cast["second"].username}
    for a in product.audiences.all():
        assert STRICTNESS[BREADTH_MARKING[a.breadth]] >= STRICTNESS[product.marking]
        allowed |= {m.username for m in a.members.all()}
    users = [analyst, cast["second"], *everyone]
    got = readers(client, product, users)
    expected = {u.username for u in users if access.can_read_product(u, product)}
    assert expected <= allowed
    assert set(Product.objects.visible_to(u).filter(pk=product.pk).exists() and u.username or "" for u in users) \
        - {""} == expected
    for fmt, names in got.items():
        assert names == expected, fmt
