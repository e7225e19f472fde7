"""Intelligence debriefings (issue 12 §8): a restricted record for one named group only, linked by
reference to the officer's earlier reports and to the careers app's end-of-mission debriefing; never
in the funnel of anyone."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dividend.audit.models import AuditEntry
from dividend.careers.models import Debriefing
from dividend.pools.models import Role
from dividend.reports import access, funnel, services
from dividend.reports.models import Audience, IntelligenceDebriefing
from dividend.secondments.models import Secondment

from ..factories import make_officer, make_position, make_secondment, make_user
from .test_reports import file

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def group(world):
    debriefer = make_user(Role.ANALYST, pools=[world["pools"][0]], username="debriefer")
    g = Audience.objects.create(name="Debriefing cell", breadth="named")
    g.members.set([debriefer])
    return {"group": g, "debriefer": debriefer}


def careers_debriefing(officer, mission):
    secondment = make_secondment(officer, make_position(mission), status=Secondment.Status.RETURNED,
                                 start=TODAY - dt.timedelta(days=500), end=TODAY - dt.timedelta(days=200))
    now = timezone.now()
    return Debriefing.objects.create(secondment=secondment, mandate_implementation="m", host_country_context="h",
                                     networks_built="n", lessons_learned="l", written_at=now, updated_at=now)


def record(world, group, **overrides):
    fields = {"officer": world["officer"], "group": group["group"], "held_on": TODAY,
              "content": "Routes used by the smugglers."} | overrides
    if "reports" not in fields:
        fields["reports"] = [file(world)]
    return services.record_debriefing(actor=group["debriefer"], **fields)


def test_only_the_named_group_reads_a_debriefing(world, group):
    d = record(world, group)
    readers = {name for name, user in {**world["users"], "debriefer": group["debriefer"]}.items()
               if IntelligenceDebriefing.objects.visible_to(user).filter(pk=d.pk).exists()}
    assert readers == {"debriefer"}  # not the pool's analyst, not the national analyst, not the officer
    assert [access.can_read_debriefing(u, d) for u in (group["debriefer"], world["users"]["national_analyst"])] == [
        True, False]


def test_it_links_the_officers_earlier_reports_and_careers_debriefing_by_reference(world, group):
    cd = careers_debriefing(world["officer"], world["other"])
    d = record(world, group, careers_debriefing=cd)
    assert ([r.title for r in d.reports.all()], d.careers_debriefing_id) == (["Week at the northern border"], cd.pk)
    entry = AuditEntry.objects.filter(object_type="reports.intelligencedebriefing").get()
    assert "smugglers" not in str(entry.detail) and entry.detail["officer_id"] == world["officer"].pk


def test_someone_outside_the_group_may_not_record_one(world, group):
    with pytest.raises(PermissionDenied):
        services.record_debriefing(actor=world["users"]["analyst"], officer=world["officer"], group=group["group"],
                                   held_on=TODAY, content="x")
    assert IntelligenceDebriefing.objects.count() == 0


def test_a_group_broader_than_named_recipients_is_refused(world, group):
    group["group"].breadth = "organisation"
    group["group"].save()
    with pytest.raises(ValidationError):
        record(world, group)
    assert IntelligenceDebriefing.objects.count() == 0


def test_another_officers_report_or_careers_debriefing_is_refused(world, group):
    other = make_officer(world["pools"][0], last_name="Other")
    with pytest.raises(ValidationError):
        record(world, group, officer=other)  # the linked report is Aalto's
    with pytest.raises(ValidationError):
        record(world, group, reports=[], careers_debriefing=careers_debriefing(other, world["other"]))
    assert IntelligenceDebriefing.objects.count() == 0


def test_classified_content_is_refused_and_nothing_stored(world, group):
    with pytest.raises(ValidationError):
        record(world, group, content="EU SECRET routes")
    assert IntelligenceDebriefing.objects.count() == 0


def test_a_debriefing_never_counts_in_the_funnel(world, group):
    analyst = world["users"]["analyst"]
    filters = funnel.Filters(year=TODAY.year)
    before = funnel.totals(analyst, filters), funnel.totals(group["debriefer"], filters)
    record(world, group, reports=[])
    assert (funnel.totals(analyst, filters), funnel.totals(group["debriefer"], filters)) == before
