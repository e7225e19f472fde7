"""Builders of real objects for tests (no mocks): pools, users with roles, officers, missions."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.accounts.access import requires_second_factor
from dividend.accounts.services import start_session_clock
from dividend.missions.models import Mission, Position
from dividend.pools.models import Pool, Role, RoleAssignment, Scope
from dividend.reference.models import Country, Language, QualificationType, Rank, Skill, ThematicArea
from dividend.roster.facts import refresh_search_facts
from dividend.roster.models import Officer, OfficerLanguage, OfficerSkill, Qualification
from dividend.secondments.models import Secondment

_counter = itertools.count(1)


def make_pool(code=None, **kwargs) -> Pool:
    n = next(_counter)
    code = code or f"pool{n}"
    return Pool.objects.create(code=code, name=kwargs.pop("name", f"Pool {code}"), kind=kwargs.pop("kind", "state_police"),
                               headcount=kwargs.pop("headcount", 10_000), **kwargs)


def make_user(role: str | None, *, pools=(), national=False, username=None, roles=(), **kwargs):
    """A user with one role (`role`, national or for `pools`) and/or several: `roles` is a list of
    (role, pools) pairs, pools "national" for a national scope, e.g. [(Role.HR_MANAGER, [pool_a]),
    (Role.ANALYST, "national")]. Stored directly, as a migration would: the grant workflow writes
    the audit log, which tests of other behaviour count."""
    n = next(_counter)
    user = get_user_model().objects.create_user(username=username or f"{role or 'nobody'}{n}", password="pw-Test-123",
                                                **kwargs)
    wanted = list(roles)
    if role is not None:
        wanted.insert(0, (role, "national" if national else pools))
    for each_role, scope in wanted:
        if scope == "national":
            RoleAssignment.objects.create(user=user, role=each_role, scope=Scope.NATIONAL)
        else:
            # A pool role needs its pools: a user made without any gets a pool of their own.
            assignment = RoleAssignment.objects.create(user=user, role=each_role, scope=Scope.POOLS)
            assignment.pools.set(list(scope) or [make_pool()])
    return user


def rank(code="inspector") -> Rank:
    return Rank.objects.get(code=code)


def make_officer(pool, *, skills=(), languages=(), qualifications=(), countries=(), themes=(), user=None,
                 **fields) -> Officer:
    n = next(_counter)
    defaults = {
        "service_number": f"SN{n:06d}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "rank": rank(fields.pop("rank_code", "inspector")),
        "gender": "female",
        "date_of_birth": dt.date(1985, 1, 1),
        "email": f"officer{n}@example.org",
        "emergency_contact_name": "Next Of Kin",
        "emergency_contact_phone": "+32 2 000 00 00",
    }
    defaults.update(fields)
    officer = Officer.objects.create(pool=pool, user=user, **defaults)
    for code, level in skills:
        OfficerSkill.objects.create(officer=officer, skill=Skill.objects.get(code=code), level=level)
    for code, speaking, reading, writing in languages:
        OfficerLanguage.objects.create(officer=officer, language=Language.objects.get(code=code), speaking=speaking,
                                       reading=reading, writing=writing)
    for code, issued, expires in qualifications:
        Qualification.objects.create(officer=officer, qualification_type=QualificationType.objects.get(code=code),
                                     issued_on=issued, expires_on=expires)
    officer.country_expertise.set(Country.objects.filter(iso3__in=countries))
    officer.thematic_expertise.set(ThematicArea.objects.filter(code__in=themes))
    officer = Officer.objects.select_related("pool", "rank").get(pk=officer.pk)
    officer.refresh_search_document()
    refresh_search_facts(officer_ids=[officer.pk])  # as the roster's workflows do after every change
    officer.refresh_from_db(fields=["search_facts"])
    return officer


def make_mission(acronym=None, *, countries=("SRB",), themes=(), organisation="eu_csdp", **fields) -> Mission:
    n = next(_counter)
    mission = Mission.objects.create(acronym=acronym or f"MIS{n}", name=fields.pop("name", f"Mission {n}"),
                                     organisation=organisation, mandate_strengthening=True, **fields)
    mission.host_countries.set(Country.objects.filter(iso3__in=countries))
    mission.thematic_areas.set(ThematicArea.objects.filter(code__in=themes))
    return mission


def make_position(mission, **fields) -> Position:
    return Position.objects.create(mission=mission, title=fields.pop("title", "Police adviser"), **fields)


def make_secondment(officer, position, *, status=Secondment.Status.RETURNED, start=dt.date(2020, 1, 1),
                    end=dt.date(2021, 1, 1)) -> Secondment:
    secondment = Secondment.objects.create(officer=officer, position=position, start_date=start, end_date=end,
                                           status=status)
    refresh_search_facts(officer_ids=[officer.pk])  # as secondments.services does
    return secondment


def make_authenticator(user) -> TOTPDevice:
    """A confirmed authenticator app (TOTP) of the user's."""
    return TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def current_code(device) -> str:
    """The code the authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def complete_sign_in(client, user) -> None:
    """After `force_login`, what the login page does: start the session's clock and, when the
    user's roles need a second factor, verify the session with an authenticator of theirs (roles
    read afresh: the user object's cached ones may predate the test's changes)."""
    session = client.session
    start_session_clock(session)
    fresh = get_user_model().objects.get(pk=user.pk)
    if requires_second_factor(fresh):
        device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first() or make_authenticator(fresh)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


ROLES = [r.value for r in Role]


def skill_rows(name, skills) -> dict:
    """What the officer form's skill rows send: [(code, level)] → {name, name-item, name-level}."""
    ids = dict(Skill.objects.values_list("code", "id"))
    return {name: "rows", f"{name}-item": [ids[code] for code, _ in skills],
            f"{name}-level": [level for _, level in skills]}


def language_rows(name, languages) -> dict:
    """What the language rows send: [(code, speaking, reading, writing)] with CEFR names or numbers."""
    ids = dict(Language.objects.values_list("code", "id"))
    cefr = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
    data = {name: "rows", f"{name}-item": [ids[row[0]] for row in languages]}
    for index, key in enumerate(("speaking", "reading", "writing"), start=1):
        data[f"{name}-{key}"] = [cefr.get(row[index], row[index]) for row in languages]
    return data


