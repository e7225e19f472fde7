"""Audit of reads (issue 8, §7.3, first half): exactly one audit entry per personal record consulted.

A small world (two officers with unique names, one with a restricted emergency-contact phone and a
medical qualification, a secondment, a qualification waiting for confirmation) is consulted through
every page, export and API answer that can show an officer, once, by every role that may open it,
in-process with a signed-in session (second factor done) or an API token.

The oracle is independent of the product's code: an officer is *shown* when their unique name is in
the answer (declared for the binary formats, PDF and XLSX). Then:

- each officer shown is named by exactly one new audit entry: a read or export of the record
  (`object_id`), or the one entry of a list page (`detail.ids` for officers, `detail.officer_ids`
  or `detail.officer_id` for the secondments and qualifications listed or read), the product's
  documented rule (dividend/audit/services.py: one entry per page, naming the ids shown);
- not zero (a read that leaves no trace) and not two (a page that logs twice, e.g. once itself and
  once through an API it calls);
- when the restricted phone is in the answer, the entry names the restricted field it shows.

Answers other than 200 (a role without access) consult nothing and are not counted; a page that no
role could open is a failure of the check's world. The audit log's own pages are left out: they
show entries (names included) to auditors, and logging those reads would log the log.
"""

from collections import Counter

from robustness.common import Check

NAMES = ("Zqreadsalpha", "Zqreadsbravo")  # the officers' unique last names
PHONE = "+32 2 444 44 44"  # officer alpha's restricted emergency-contact phone
ROLES = ("coordinator_pool", "hr_pool", "panel_pool", "coordinator_national", "secondee", "policy_national",
         "auditor_national")


def build_world():
    """Pool alpha with two officers (the first is the secondee's own record), a secondment, a
    confirmed medical qualification and one waiting; a user per role with a session and a token."""
    import datetime as dt

    from django.test import Client

    from dividend.pools.models import ApiToken, Role
    from dividend.reference.models import QualificationType, ThematicArea
    from dividend.roster.models import Qualification
    from tests.factories import (
        complete_sign_in,
        make_mission,
        make_officer,
        make_pool,
        make_position,
        make_secondment,
        make_user,
    )

    pool = make_pool("reads")
    secondee = make_user(Role.SECONDEE, pools=[pool], username="reads_secondee")
    alpha = make_officer(pool, user=secondee, last_name=NAMES[0], emergency_contact_phone=PHONE,
                         qualifications=[("medical_fitness", dt.date(2026, 1, 1), dt.date(2028, 1, 1))],
                         available_from=dt.date(2020, 1, 1), themes=["organised_crime"])
    bravo = make_officer(pool, last_name=NAMES[1], available_from=dt.date(2020, 1, 1), themes=["organised_crime"])
    secondment = make_secondment(alpha, make_position(make_mission("EUREADS")))
    medical = alpha.qualifications.get(qualification_type__code="medical_fitness")
    pending = Qualification.objects.create(
        officer=bravo, qualification_type=QualificationType.objects.get(code="un_saat"), issued_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2029, 1, 1), status=Qualification.Status.PENDING)
    users = {
        "coordinator_pool": make_user(Role.COORDINATOR, pools=[pool]),
        "hr_pool": make_user(Role.HR_MANAGER, pools=[pool]),
        "panel_pool": make_user(Role.PANEL_MEMBER, pools=[pool]),
        "coordinator_national": make_user(Role.COORDINATOR, national=True),
        "secondee": secondee,
        "policy_national": make_user(Role.POLICY_OFFICER, national=True),
        "auditor_national": make_user(Role.AUDITOR, national=True),
    }
    sessions, tokens = {}, {}
    for role, user in users.items():
        sessions[role] = Client()
        sessions[role].force_login(user)
        complete_sign_in(sessions[role], user)
        tokens[role] = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='reads')[1]}"}
    a, b, s = alpha.pk, bravo.pk, secondment.pk
    # A call sent to the pool with both officers nominated (the selection's pages and answers).
    from dividend.selection import services as selection

    national = users["coordinator_national"]
    today = dt.date.today()
    call = selection.create_call(actor=national, pools=[pool], organisation="eu_csdp", kind="regular",
                                 reference="EU-READS", title="Reads", published_on=today,
                                 organisation_deadline=today + dt.timedelta(days=30),
                                 national_deadline=today + dt.timedelta(days=20))
    cp = selection.add_call_position(actor=national, call=call, position=secondment.position)
    selection.change_call_status(actor=national, call=call, status="open")
    nomination = selection.nominate(actor=national, call_position=cp, officer=alpha)
    selection.nominate(actor=national, call_position=cp, officer=bravo)
    # Alpha released and a decision proposed on them (the panel's and the decisions' pages).
    selection.release(actor=users["hr_pool"], nomination=nomination)
    selection.propose_decision(actor=users["coordinator_pool"], nomination=nomination, outcome="not_selected",
                               feedback="Next time.")
    run = selection.run_assignment(actor=national, call=call, parameters={"score_source": "ranking"})
    # A strategic position Bravo holds (the rotations page names its holder).
    from dividend.secondments.models import Secondment

    # Deployed now: the duty-of-care board (its contact is overdue) and care page name Bravo too.
    strategic = make_position(make_mission("EUREADS2"), title="Head of mission staff", strategic=True)
    deployed = make_secondment(bravo, strategic, status=Secondment.Status.DEPLOYED,
                               start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=400))
    theme = ThematicArea.objects.get(code="organised_crime").pk
    every = {a, b}
    # A rapid deployment alert to both, answered by alpha (the alert's page names its recipients).
    from dividend.alerts import services as alerts

    alert = alerts.create_alert(actor=national, title="Reads alert", message="Go", start_date=today,
                                officers=[alpha, bravo])
    alerts.reply(actor=secondee, recipient=alert.recipients.get(officer=alpha), answer="available")
    # Alpha being prepared for a mission: the checklist made, the returnee exchange met with Bravo (who
    # is back from the same mission), Bravo on the pool's backfill roster covering the post.
    from dividend.preparation import services as preparation
    from dividend.preparation.loading import load_templates

    load_templates()
    leaving = make_secondment(alpha, secondment.position, status=Secondment.Status.PREPARING,
                              start=today + dt.timedelta(days=60), end=today + dt.timedelta(days=424))
    back = make_secondment(bravo, make_position(secondment.position.mission), status=Secondment.Status.RETURNED,
                           start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    checklist = preparation.create_checklist(actor=national, secondment=leaving)
    exchange = checklist.items.get(code="returnee_exchange")
    preparation.update_item(actor=national, item=exchange, due_date=exchange.due_date, returnee=bravo)
    preparation.add_to_roster(actor=national, pool=pool, officer=bravo)
    preparation.record_backfill(actor=national, secondment=leaving, arrangement="substitute", substitute=bravo)
    p = leaving.pk
    # (what, path, extra request headers or None for the API token, officers shown when not by name)
    consultations = [
        ("roster search", "/roster/", {}, None),
        ("roster search by name", f"/roster/?q={NAMES[0]}", {}, None),
        ("roster results (htmx)", "/roster/", {"HTTP_HX_REQUEST": "true"}, None),
        ("roster export CSV", "/roster/export.csv", {}, None),
        ("roster export XLSX", "/roster/export.xlsx", {}, every),
        ("officer record", f"/roster/officers/{a}/", {}, None),
        ("officer record (other)", f"/roster/officers/{b}/", {}, None),
        ("officer edit form", f"/roster/officers/{a}/edit/", {}, None),
        ("own record", "/roster/me/", {}, None),
        ("subject access JSON", f"/roster/officers/{a}/subject-access.json", {}, None),
        ("subject access PDF", f"/roster/officers/{a}/subject-access.pdf", {}, {a}),
        ("qualifications waiting", "/roster/qualifications/pending/", {}, None),
        ("qualifications expiring", "/roster/qualifications/expiring/", {}, None),
        ("medical qualification form", f"/roster/qualifications/{medical.pk}/edit/", {}, None),
        ("qualification form (waiting)", f"/roster/qualifications/{pending.pk}/edit/", {}, None),
        ("crisis search", f"/roster/crisis/?within_days=30&duration_months=1&theme={theme}", {}, None),
        ("secondment list", "/secondments/", {}, None),
        ("secondment edit form", f"/secondments/{s}/edit/", {}, None),
        ("new secondment form", f"/secondments/officers/{a}/new/", {}, None),
        ("home", "/", {}, None),
        ("missions", "/missions/", {}, None),
        ("positions", "/missions/positions/", {}, None),
        ("account", "/account/", {}, None),
        ("API officer list", "/api/officers", None, None),
        ("API officer record", f"/api/officers/{a}", None, None),
        ("API secondment list", "/api/secondments", None, None),
        ("API secondment", f"/api/secondments/{s}", None, None),
        ("call page", f"/selection/calls/{call.pk}/", {}, None),
        ("nominate form", f"/selection/call-positions/{cp.pk}/nominate/", {}, None),
        ("team form", f"/selection/call-positions/{cp.pk}/team/", {}, None),
        ("outcome form", f"/selection/nominations/{nomination.pk}/outcome/", {}, None),
        ("releases", "/selection/releases/", {}, None),
        ("own nominations", "/selection/mine/", {}, None),
        ("rotations of strategic positions", "/selection/rotations/", {}, None),
        ("API nomination list", "/api/selection/nominations", None, None),
        ("API nomination", f"/api/selection/nominations/{nomination.pk}", None, None),
        ("panel page (anonymised)", f"/selection/calls/{call.pk}/panel/", {}, None),
        ("API panel (anonymised)", f"/api/selection/calls/{call.pk}/panel", None, None),
        ("decisions page", f"/selection/calls/{call.pk}/decisions/", {}, None),
        ("API decisions", f"/api/selection/calls/{call.pk}/decisions", None, None),
        ("assignment run page", f"/selection/assignment-runs/{run.pk}/", {}, None),
        ("API assignment run", f"/api/selection/assignment-runs/{run.pk}", None, None),
        ("selection report PDF", f"/selection/calls/{call.pk}/report.pdf", {}, every),
        ("selection report XLSX", f"/selection/calls/{call.pk}/report.xlsx", {}, every),
        ("position ranking", f"/selection/call-positions/{cp.pk}/", {}, None),
        ("call eligibility", f"/selection/calls/{call.pk}/eligibility/", {}, None),
        ("API position ranking", f"/api/selection/call-positions/{cp.pk}/ranking", None, None),
        ("alerts", "/alerts/", {}, None),
        ("alert page", f"/alerts/{alert.pk}/", {}, None),
        ("alert replies (htmx)", f"/alerts/{alert.pk}/replies/", {"HTTP_HX_REQUEST": "true"}, None),
        ("new alert from the crisis query", f"/alerts/new/?within_days=30&duration_months=1&theme={theme}", {},
         None),
        ("alert answer page", f"/alerts/{alert.pk}/answer/", {}, None),
        ("API alert", f"/api/alerts/{alert.pk}", None, None),
        ("secondments being prepared", "/preparation/", {}, None),
        ("pre-deployment checklist", f"/preparation/secondments/{p}/", {}, None),
        ("checklist item form (returnee exchange)", f"/preparation/items/{exchange.pk}/edit/", {}, None),
        ("backfill form", f"/preparation/secondments/{p}/backfill/", {}, None),
        ("caveats form", f"/preparation/secondments/{p}/caveats/", {}, None),
        ("pool's backfill", f"/preparation/backfill/pools/{pool.pk}/", {}, None),
        ("API checklist", f"/api/preparation/secondments/{p}/checklist", None, {a}),  # by officer_id
        ("API backfill", f"/api/preparation/secondments/{p}/backfill", None, {a}),
        ("API pool's backfill", f"/api/preparation/pools/{pool.pk}/backfill", None, None),
        ("duty-of-care board", "/care/", {}, None),
        ("care page", f"/care/secondments/{deployed.pk}/", {}, None),
        ("API duty-of-care board", "/api/care/board", None, None),
        ("API care record", f"/api/care/secondments/{deployed.pk}", None, None),
        # Careers: Bravo is back from the mission (the returnee pool and his careers record name him).
        ("careers records", "/careers/", {}, None),
        ("careers record", f"/careers/secondments/{back.pk}/", {}, None),
        ("returnee pool", "/careers/returnees/?contacts=", {}, None),
        ("API careers record", f"/api/careers/secondments/{back.pk}", None, {b}),  # by officer_id
        ("API returnee pool", "/api/careers/returnees", None, None),
    ]
    return {"sessions": sessions, "tokens": tokens, "consultations": consultations, "ids": (a, b)}


def names(entry, officer_id: int) -> bool:
    """Does this audit entry name the officer's record (by the product's documented rule)?"""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    if entry.object_type == "roster.officer":
        if entry.object_id == str(officer_id) or officer_id in (detail.get("ids") or []):
            return True
    return detail.get("officer_id") == officer_id or officer_id in (detail.get("officer_ids") or [])


def problems_of(entries, *, body: bytes, shown: set[int], ids) -> list[str]:
    """What is wrong with the entries one consultation wrote, given the officers it showed."""
    found = []
    for officer_id, name in zip(ids, NAMES, strict=True):
        naming = [e for e in entries if names(e, officer_id)]
        if officer_id in shown and len(naming) != 1:
            found.append(f"{name} shown, {len(naming)} entries name the record")
        if officer_id not in shown and naming:
            found.append(f"{name} not shown, yet named by {len(naming)} entries")
        if officer_id == ids[0] and PHONE.encode() in body and len(naming) == 1 \
                and "emergency_contact_phone" not in naming[0].fields:
            found.append(f"{name}'s restricted phone shown, the entry does not name the field")
    return found


def _check(*, mode, seed, result):
    import logging

    from dividend.audit.models import AuditEntry

    result.unit = "consultations"
    world = build_world()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the refusals are expected
    opened: Counter = Counter()
    for what, path, headers, declared in world["consultations"]:
        for role in ROLES:
            client = world["sessions"][role]
            extra = world["tokens"][role] if headers is None else headers
            last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(path, **extra)
            if response.status_code in (403, 404):
                continue  # not this role's: nothing consulted
            if response.status_code != 200:
                result.failures += 1
                result.notes.append(f"{role} {what} ({path}) answered {response.status_code}")
                continue
            body = b"".join(response) if response.streaming else response.content
            shown = set(declared) if declared is not None else {
                officer_id for officer_id, name in zip(world["ids"], NAMES, strict=True) if name.encode() in body}
            if declared is not None:  # a binary format: only what the role may see of the declared
                shown &= _visible(role, world)
            entries = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))
            result.count += 1
            opened[what] += 1
            for problem in problems_of(entries, body=body, shown=shown, ids=world["ids"]):
                result.failures += 1
                result.notes.append(f"{role} {what} ({path}): {problem}")
    for what, path, *_ in world["consultations"]:
        if not opened[what]:
            result.failures += 1
            result.notes.append(f"no role could open {what} ({path}): the check's world is wrong")
    result.notes.append(f"{len(world['consultations'])} pages, exports and API answers x {len(ROLES)} roles; "
                        f"{result.count} consultations answered 200")


def _visible(role, world) -> set[int]:
    # The secondee's own record is alpha; every other role of this world sees the pool, or all pools.
    return {world["ids"][0]} if role == "secondee" else set(world["ids"])


check = Check("audit-reads", _check)
