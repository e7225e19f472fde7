"""The pages speak the domain's words: no model label (`roster.officer`) and no pool code (`bpol`) in
what a person reads, on the main pages of each role (the Django admin is Django's own)."""

import re
from html.parser import HTMLParser

import pytest

from dividend.audit.services import record
from dividend.pools.models import Role, Scope
from dividend.reference.models import QualificationType, Skill
from dividend.roster.models import Qualification
from dividend.secondments.models import Secondment

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db

APPS = ("accounts", "audit", "auth", "missions", "pools", "priorities", "reference", "roles", "roster", "secondments")
MODEL_LABEL = re.compile(r"\b(?:" + "|".join(APPS) + r")\.[a-z_]+\b")
POOL_CODES = ("bpol", "lka-nrw")
POOL_CODE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in POOL_CODES) + r")(?![\w-])")


class ReadableText(HTMLParser):
    """What a person reads: text outside scripts and styles, and the attributes shown to them."""

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = ReadableText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def office():
    from dividend.priorities import services

    from .priorities_app.conftest import SMALL_MODEL

    federal, state = make_pool("bpol", name="Federal Police"), make_pool("lka-nrw", name="North Rhine-Westphalia Police")
    secondee = make_user(Role.SECONDEE, pools=[federal], username="secondee")
    own = make_officer(federal, user=secondee, last_name="Korhonen", skills=[("criminal_investigation", 3)],
                       languages=[("fr", 5, 4, 3)], qualifications=[("passport", None, None)])
    other = make_officer(state, last_name="Schmidt", skills=[("training", 2)], languages=[("de", 6, 6, 6)])
    Qualification.objects.create(officer=own, qualification_type=QualificationType.objects.get(code="driving_licence"),
                                 status=Qualification.Status.PENDING, submitted_by=secondee)
    mission = make_mission("EUTEST", countries=["SRB", "XKX"], themes=["organised_crime"])
    make_secondment(own, make_position(mission), status=Secondment.Status.DEPLOYED)
    make_secondment(other, make_position(mission))
    users = {
        "coordinator": make_user(Role.COORDINATOR, pools=[federal], username="coordinator"),
        "hr_manager": make_user(Role.HR_MANAGER, pools=[federal, state], username="hr"),
        "policy_officer": make_user(Role.POLICY_OFFICER, national=True, username="policy"),
        "auditor": make_user(Role.AUDITOR, national=True, username="auditor"),
        "secondee": secondee,
    }
    policy = users["policy_officer"]
    model = services.create_model(actor=policy, name="small", text=SMALL_MODEL, home_country="BEL")
    run, _ = services.start_run(actor=policy, version=model.current_version, draws=20, seed=7, label="baseline")
    # The audit log names what was read and changed, roles granted included.
    from dividend.roles.services import grant_role

    grant_role(actor=make_user(Role.ADMINISTRATOR, national=True), user=make_user(None, username="newcomer"),
               role=Role.COORDINATOR, scope=Scope.POOLS, pools=[state])
    record(actor=users["coordinator"], action="read", obj=own, fields=["email"])
    return {"users": users, "own": own, "other": other, "mission": mission, "run": run,
            "skill": Skill.objects.get(code="criminal_investigation").pk}


def pages(w):
    own, run = w["own"], w["run"]
    country = run.countries.exclude(rank=None).order_by("rank").first()
    coordinator = ["/", "/roster/", "/roster/?text=Korhonen", f"/roster/officers/{own.pk}/",
                   f"/roster/officers/{own.pk}/edit/", "/roster/qualifications/pending/",
                   "/roster/qualifications/expiring/?days=366", f"/roster/crisis/?within_days=14&duration_months=3&skill={w['skill']}",
                   "/roster/import/", "/missions/", f"/missions/{w['mission'].pk}/", "/missions/positions/",
                   "/secondments/", "/account/", "/tokens/"]
    return {
        "coordinator": coordinator,
        "hr_manager": ["/", "/roster/", f"/roster/officers/{w['other'].pk}/", "/secondments/"],
        "policy_officer": ["/", "/priorities/", f"/priorities/runs/{run.pk}/",
                           f"/priorities/runs/{run.pk}/countries/{country.iso3}/", "/priorities/runs/",
                           f"/priorities/compare/?a={run.pk}&b={run.pk}", "/roster/"],
        "auditor": ["/", "/audit/", "/roster/"],
        "secondee": ["/", "/roster/me/", f"/roster/officers/{own.pk}/", "/secondments/"],
    }


@pytest.mark.parametrize("role", ["coordinator", "hr_manager", "policy_officer", "auditor", "secondee"])
def test_pages_show_no_model_label_or_pool_code(client, office, role):
    client.force_login(office["users"][role])
    found = {}
    for path in pages(office)[role]:
        response = client.get(path)
        assert response.status_code == 200, path
        text = readable(response.content.decode())
        raw = sorted(set(MODEL_LABEL.findall(text)) | set(POOL_CODE.findall(text)))
        if raw:
            found[path] = raw
    assert found == {}


def test_the_checker_sees_what_it_looks_for():
    html = ('<p title="x">Coordinator (bpol)</p><script>var a = "roster.officer";</script>'
            '<td>roster.officer 12</td><input placeholder="lka-nrw">')
    text = readable(html)
    assert MODEL_LABEL.findall(text) == ["roster.officer"]
    assert POOL_CODE.findall(text) == ["bpol", "lka-nrw"]
