"""The access oracle (issue 8, §7.2): random worlds, every page and API answer, an independent rule.

Hypothesis builds small random worlds: pools, officers (skills, languages, qualifications among them
medical and clearance, an emergency contact, an unavailable period, secondments, a pending
qualification) and users holding several roles, each national or scoped to some pools, a secondee
linked to their officer record, now and then a superuser; every user has an API token. Each user,
signed in through the test client, requests every page and API operation of `PAGES`
(robustness/access_pages.py) for every object of the world. What each answer reveals (officers by
their unique marker names, restricted data by its unique markers, secondments and tokens by id or
name) is compared with the rule restated in `Rule` below from docs/data-protection.md ("who sees
it") and docs/architecture.md, in plain Python over the world as built: the product's
`visible_to` and `can_*` predicates are never called.

Verdicts, per answer: a leak (an object out of scope anywhere in the answer: rows, counts, search
hits, exports, JSON), a detail of an out-of-scope object not answering 404, a false denial (an
object in scope missing, or a page the user may use refused), restricted data outside need-to-know.
A failing world is shrunk by hypothesis to a minimal one, reported in the notes.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from robustness.common import Check

WORLDS = {"full": 1000, "ci": 12}
SHRINK_SECONDS = {"full": 300, "ci": 60}

# --- The rule, restated (docs/data-protection.md, "Categories of data"; docs/architecture.md) ------

# Identity, contact, skills, qualifications, availability, secondments: "every roster role of the
# officer's pool (national roles: every pool); the officer". Every role but the secondee works with
# the roster.
ROSTER_ROLES = {"coordinator", "panel_member", "hr_manager", "policy_officer", "administrator", "auditor",
                "analyst"}
# Emergency contact, medical, clearance: "the officer, the coordinators and HR managers of the
# officer's pool" (a pool-scoped role: national roles get none).
NEED_TO_KNOW_ROLES = {"coordinator", "hr_manager"}
EDITOR_ROLES = {"coordinator", "hr_manager", "administrator"}  # add and change officers
SECONDMENT_ROLES = {"coordinator", "hr_manager"}  # record secondments, change their status
IMPORTER_ROLES = {"coordinator", "administrator"}
AUDIT_ROLES = {"auditor", "administrator"}  # "auditors and national administrators" read the whole log
PRIORITY_READERS = {"policy_officer", "administrator", "analyst", "auditor", "coordinator"}
PRIORITY_EDITORS = {"policy_officer", "administrator"}
# Duty of care, preparation and careers (docs/data-protection.md; issue 11): the coordinators and HR
# managers of the officer's pool (national ones: every pool) work with a secondment's lifecycle
# records; the officer sees their own. Their restricted parts (care notes, the careers debriefing's
# content) are need-to-know, and care notes are never shown to the officer they are about.
LIFECYCLE_ROLES = {"coordinator", "hr_manager"}
# Field reports (issue 12; reports/access.py restated): analysts read the reports of their pools'
# officers (national: every report), a secondee their own.
REPORT_READERS = {"analyst"}
# Vacancies, the returnee pool and the KPIs: policy officers besides (docs/careers.md).
CAREERS_POOL_ROLES = {"coordinator", "hr_manager", "policy_officer"}
# The members of the worlds' named debriefing group, by user index.
def DEBRIEFING_GROUP(n):  # noqa: N802 - a rule's constant, restated
    return n % 2 == 0


# The worlds' intelligence products (issue 12 §5), each citing every field report, with no author:
# key -> (status, marking, audience breadth, members by user index). TLP 2.0 (docs/reports.md): a
# list of a breadth receives a marking at most as strict as the breadth allows (named: any;
# organisation: up to AMBER+STRICT; partners: AMBER; community: GREEN; public: CLEAR).
PRODUCTS = {
    0: ("published", "amber", "named", lambda n: n % 3 == 1),
    1: ("published", "red", "organisation", lambda n: n % 3 == 2),  # RED never reaches an organisation list
    2: ("draft", "green", "community", lambda n: True),  # a draft reaches no list
}
BREADTH_LIMIT = {"named": 4, "organisation": 3, "partners": 2, "community": 1, "public": 0}
TLP_STRICTNESS = {"clear": 0, "green": 1, "amber": 2, "amber+strict": 3, "red": 4}


# The dividend scorecard (docs/accountability.md): consolidated per mission and per year for these
# roles and the ministry liaison; per secondment, naming the officer, for these roles of the
# officer's pool (national: every pool), never the liaison.
SCORECARD_ROLES = {"coordinator", "policy_officer", "administrator", "auditor"}
# The dashboard and the report to parliament (docs: dividend/accountability/access.py's docstring).
FIGURE_ROLES = {"coordinator", "policy_officer", "administrator", "auditor", "ministry_liaison"}
# Which scopes a role may have (pools.models.SCOPES_BY_ROLE, restated: the world must be possible).
POOL_SCOPED = ["coordinator", "panel_member", "analyst", "hr_manager", "policy_officer"]
# The ministry liaison (issue 14) reads consolidated figures only: no officer, call or report.
FIGURES_ONLY = {"ministry_liaison"}
NATIONAL_SCOPED = ["coordinator", "panel_member", "analyst", "hr_manager", "policy_officer", "administrator",
                   "auditor", "ministry_liaison"]

NATIONAL = "national"


@dataclass(frozen=True)
class WOfficer:
    pool: int  # index in the world's pools
    medical: bool
    clearance: bool
    secondment: bool
    pending: bool  # a qualification waiting for confirmation


@dataclass(frozen=True)
class WUser:
    roles: tuple  # ((role, NATIONAL or frozenset of pool indexes), ...)
    officer: int | None = None  # index of their officer record (they then hold the secondee role)
    superuser: bool = False
    gate_page: int = 0  # which of the record-free pages (access_pages.ROLE_GATES) they open in this world


@dataclass(frozen=True)
class World:
    pools: int
    officers: tuple
    users: tuple

    def describe(self) -> str:
        people = []
        for u in self.users:
            roles = ", ".join(f"{r} ({s if s == NATIONAL else sorted(s)})" for r, s in u.roles)
            extra = (" superuser" if u.superuser else "") + (f" officer #{u.officer}" if u.officer is not None else "")
            people.append(f"[{roles or 'no role'}{extra}]")
        officers = [f"#{i} pool {o.pool}" + "".join(f" {k}" for k in ("medical", "clearance", "secondment", "pending")
                                                    if getattr(o, k)) for i, o in enumerate(self.officers)]
        return f"{self.pools} pools; officers {officers}; users {people}"


class Rule:
    """Who may see and do what in a world, from the documents, over the world's own description."""

    def __init__(self, world: World, user: WUser, index: int | None = None):
        self.world, self.user = world, user
        # The user's place in the world (the debriefing group is drawn by it).
        self.index = index if index is not None else world.users.index(user) if user in world.users else -1

    def _holds(self, roles) -> bool:
        return any(r in roles for r, _ in self.user.roles)

    def _in_pool(self, roles, pool, *, national=True) -> bool:
        return any(r in roles and ((s == NATIONAL and national) or (s != NATIONAL and pool in s))
                   for r, s in self.user.roles)

    def own(self, i) -> bool:
        return self.user.officer == i

    def uses_roster(self) -> bool:
        return self.user.superuser or self._holds(ROSTER_ROLES)

    def sees_officer(self, i) -> bool:
        return self.user.superuser or self._in_pool(ROSTER_ROLES, self.world.officers[i].pool) or self.own(i)

    def need_to_know(self, i) -> bool:
        """Restricted data of officer i: the officer; pool-scoped coordinators and HR managers."""
        return self.own(i) or self._in_pool(NEED_TO_KNOW_ROLES, self.world.officers[i].pool, national=False)

    def edits(self, i) -> bool:
        return self.user.superuser or self._in_pool(EDITOR_ROLES, self.world.officers[i].pool)

    def manages_secondments(self, i) -> bool:
        return self.user.superuser or self._in_pool(SECONDMENT_ROLES, self.world.officers[i].pool)

    def adds_officers(self) -> bool:
        return self.user.superuser or self._holds(EDITOR_ROLES)

    def imports(self) -> bool:
        return self.user.superuser or self._holds(IMPORTER_ROLES)

    def reviews_qualifications(self) -> bool:
        return self._holds({"coordinator"})

    def reads_audit(self) -> bool:
        return self.user.superuser or self._holds(AUDIT_ROLES)

    def reads_priorities(self) -> bool:
        return self.user.superuser or self._holds(PRIORITY_READERS)

    def edits_priorities(self) -> bool:
        return self.user.superuser or self._holds(PRIORITY_EDITORS)

    def sees_pool(self, p) -> bool:
        return self.user.superuser or any(s == NATIONAL or p in s for _, s in self.user.roles)

    def sees_call(self) -> bool:
        """The world's call, open and sent to every pool (docs/selection.md): any role of a pool it is
        sent to, any national role, a secondee of such a pool."""
        return self.user.superuser or any(r not in FIGURES_ONLY for r, _ in self.user.roles)

    def sees_ranking(self) -> bool:
        """The call's eligibility and ranking pages (docs/selection.md): the staff roles that see the
        call (every role but a secondee's, the call being sent to every pool)."""
        return self.user.superuser or any(r != "secondee" and r not in FIGURES_ONLY for r, _ in self.user.roles)

    def nominations(self) -> set:
        """Nominations to a call one sees, of the officers one sees (data-protection.md)."""
        return self.officers() if self.sees_call() else set()

    def coordinates(self, i) -> bool:
        """Nominate officer i, record their outcome: a coordinator of their pool, or national."""
        return self.user.superuser or self._in_pool({"coordinator"}, self.world.officers[i].pool)

    def releases(self, i) -> bool:
        """Release officer i: their line manager, an HR manager of their pool, or national."""
        return self.user.superuser or self._in_pool({"hr_manager"}, self.world.officers[i].pool)

    def sends_alerts(self) -> bool:
        """Rapid deployment alerts are sent and followed by coordinators (docs/alerts.md)."""
        return self.user.superuser or self._holds({"coordinator"})

    def uses_alerts(self) -> bool:
        """The alerts' API: coordinators, and secondees answering theirs."""
        return self.sends_alerts() or self._holds({"secondee"})

    def alert_answers(self) -> set:
        """Answers to the world's alert (sent to every officer) one sees: a coordinator's, of the
        officers of their pools (national: every one); a secondee their own."""
        return {i for i in range(len(self.world.officers))
                if self.user.superuser or self._in_pool({"coordinator"}, self.world.officers[i].pool)
                or self.own(i)}

    # --- Duty of care, preparation, careers (issue 11) ---

    def works_with_lifecycle(self, i) -> bool:
        """Officer i's care, preparation and careers records: a coordinator or HR manager of their
        pool, or a national one."""
        return self.user.superuser or self._in_pool(LIFECYCLE_ROLES, self.world.officers[i].pool)

    def uses_care(self) -> bool:
        """The duty-of-care board and pages: coordinators and HR managers, any scope."""
        return self.user.superuser or self._holds(LIFECYCLE_ROLES)

    def sees_care(self, i) -> bool:
        return self.works_with_lifecycle(i) or self.own(i)

    def reads_care_notes(self, i) -> bool:
        """Contact notes and other restricted care records: need-to-know, never the officer."""
        return self.need_to_know(i) and not self.own(i)

    def prepares(self) -> bool:
        return self.user.superuser or self._holds(LIFECYCLE_ROLES)

    def sees_checklist(self, i) -> bool:
        """A secondment's checklist: those who prepare it (manage the officer's secondments) and
        the officer."""
        return self.manages_secondments(i) or self.own(i)

    def sees_backfill(self, p) -> bool:
        """A pool's backfill pages: coordinators and HR managers of that pool, or national."""
        return self.user.superuser or self._in_pool(LIFECYCLE_ROLES, p)

    def uses_careers(self) -> bool:
        """Careers pages: coordinators and HR managers, and a secondee for their own records."""
        return self.user.superuser or self._holds(LIFECYCLE_ROLES | {"secondee"})

    def sees_career(self, i) -> bool:
        return self.works_with_lifecycle(i) or self.own(i)

    def uses_careers_pool(self) -> bool:
        """Vacancies, the returnee pool and the KPIs."""
        return self.user.superuser or self._holds(CAREERS_POOL_ROLES)

    def sees_vacancy(self, p) -> bool:
        """Pool p's vacancy: the careers pool roles of that pool, or national ones."""
        return self.user.superuser or self._in_pool(CAREERS_POOL_ROLES, p)

    # --- Accountability (issue 14 §3-4) ---

    def reads_figures(self) -> bool:
        """The dashboard and the report to parliament: consolidated figures, no names."""
        return self.user.superuser or self._holds(FIGURE_ROLES)

    def drills_down(self) -> bool:
        """The lists behind the dashboard's figures: not for the Ministry liaison."""
        return self.user.superuser or self._holds(FIGURE_ROLES - {"ministry_liaison"})

    # --- Field reports (issue 12) ---

    def uses_reports(self) -> bool:
        """Field reports at all: analysts, and secondees (their own)."""
        return self.user.superuser or self._holds(REPORT_READERS | {"secondee"})

    def triages(self, i) -> bool:
        """Read, triage, comment and judge the reports of officer i: an analyst of their pool, or national."""
        return self.user.superuser or self._in_pool(REPORT_READERS, self.world.officers[i].pool)

    def sees_report(self, i) -> bool:
        return self.triages(i) or self.own(i)

    def reads_product(self, key) -> bool:
        """A product: its producers (analysts who read every report it cites, as a monthly report)
        in any state; once published, the members of a list its marking may reach."""
        status, marking, breadth, members = PRODUCTS[key]
        return self.reads_monthly() or (status == "published" and self.index >= 0 and members(self.index)
                                        and TLP_STRICTNESS[marking] <= BREADTH_LIMIT[breadth])

    def reads_monthly(self) -> bool:
        """The world's monthly mission report (citing every report): analysts only; national ones
        (and superusers) read every one, a pool analyst one whose cited reports are all of their
        pools' officers or their own (docs/reports.md)."""
        if self.user.superuser or any(r == "analyst" and s == NATIONAL for r, s in self.user.roles):
            return True
        if not self._holds(REPORT_READERS):
            return False
        return all(self.triages(i) or self.own(i) for i in self.world_reports())

    def world_reports(self) -> list:
        return [i for i, o in enumerate(self.world.officers) if o.secondment]

    def in_debriefing_group(self) -> bool:
        """Intelligence debriefings (issue 12 §8): the members of their named group, nobody else
        (no role, not a superuser). The worlds' group is the even-numbered users."""
        return self.index >= 0 and DEBRIEFING_GROUP(self.index)

    def uses_debriefings(self) -> bool:
        """The debriefing pages: analysts (any scope; superusers count as analysts) and the members
        of any named list (the debriefing group, a product's named list)."""
        return self.user.superuser or self._holds(REPORT_READERS) or self.in_debriefing_group() or (
            self.index >= 0 and any(breadth == "named" and members(self.index)
                                    for _status, _marking, breadth, members in PRODUCTS.values()))

    def reads_scorecards(self) -> bool:
        return self.user.superuser or self._holds(SCORECARD_ROLES | {"ministry_liaison"})

    def sees_scorecard(self, i) -> bool:
        """Officer i's secondment's own scorecard (it names them)."""
        return self.user.superuser or self._in_pool(SCORECARD_ROLES, self.world.officers[i].pool)

    def officers(self) -> set:
        return {i for i in range(len(self.world.officers)) if self.sees_officer(i)}

    def secondments(self) -> set:
        return {i for i in self.officers() if self.world.officers[i].secondment}

    def restricted(self) -> set:
        return {i for i in self.officers() if self.need_to_know(i)}


# --- Worlds -------------------------------------------------------------------------------------

def worlds():
    from hypothesis import strategies as st

    @st.composite
    def world(draw):
        pools = draw(st.integers(1, 3))
        pool_sets = st.frozensets(st.integers(0, pools - 1), min_size=1)
        officers = tuple(draw(st.lists(st.builds(
            WOfficer, pool=st.integers(0, pools - 1), medical=st.booleans(), clearance=st.booleans(),
            secondment=st.booleans(), pending=st.booleans()), min_size=1, max_size=4)))
        scoped = st.one_of(st.tuples(st.sampled_from(NATIONAL_SCOPED), st.just(NATIONAL)),
                           st.tuples(st.sampled_from(POOL_SCOPED), pool_sets))
        users, linked = [], set()
        for _ in range(draw(st.integers(1, 3))):
            roles = draw(st.lists(scoped, max_size=3))
            officer = draw(st.none() | st.integers(0, len(officers) - 1))
            if officer is not None and officer not in linked:
                linked.add(officer)  # a secondee of their own pool, acting for their own record
                roles.append(("secondee", frozenset({officers[officer].pool})))
            else:
                officer = None
            users.append(WUser(roles=tuple(roles), officer=officer, superuser=draw(st.integers(0, 9)) == 9,
                               gate_page=draw(st.integers(0, 999))))
        return World(pools=pools, officers=officers, users=tuple(users))

    return world()


def marker(kind: str, i: int) -> str:
    """A unique word per object, found by the full-text search and in any answer that shows it."""
    return f"{kind}q{'abcdefghij'[i]}x"


def dates(day: dt.date) -> list[str]:
    """The ways a date is written in an answer: ISO (JSON, CSV, forms), en-gb pages."""
    return [day.isoformat(), f"{day.day} {day:%b %Y}", f"{day:%d/%m/%Y}"]


def medical_expiry(i):
    return dt.date(2071, i + 1, 11 + i)


def clearance_expiry(i):
    return dt.date(2072, i + 1, 12 + i)


@dataclass
class Built:
    world: World
    pools: list
    officers: list
    users: list
    secondments: dict  # officer index -> Secondment
    pending: dict  # officer index -> Qualification (pending passport)
    restricted_quals: dict  # officer index -> [Qualification]
    position: object
    tokens: list  # per user: ApiToken
    skill_id: int = 0
    run_id: int | None = None  # the shared priority run
    # officer index -> [[ways of writing one restricted value], ...]
    restricted_markers: dict = field(default_factory=dict)
    call: object = None  # an open call sent to every pool, with the position
    nominations: dict = field(default_factory=dict)  # officer index -> Nomination to the call
    alert: object = None  # a rapid deployment alert sent to every officer, unanswered
    # officer index -> the restricted notes about them (a care contact's notes, the careers
    # debriefing's content): need-to-know only, shown where restricted data may be unless said
    notes: dict = field(default_factory=dict)
    checklist_items: dict = field(default_factory=dict)  # officer index -> ChecklistItem (title: marker "Prp")
    reports: dict = field(default_factory=dict)  # officer index -> FieldReport (title: marker "Rep")
    attachments: dict = field(default_factory=dict)  # officer index -> their report's attachment (marker "Att")
    vacancies: dict = field(default_factory=dict)  # pool index -> Vacancy (post: marker "Vac")
    leaves: dict = field(default_factory=dict)  # officer index -> LeavePeriod (debriefing: marker "Lvd")
    # officer index -> IntelligenceDebriefing (content: marker "Dbg") for the named group of the
    # world's even-numbered users (DEBRIEFING_GROUP)
    debriefings: dict = field(default_factory=dict)
    monthly: object = None  # the mission's monthly report citing every field report (marker "Mon")
    products: dict = field(default_factory=dict)  # PRODUCTS key -> Product citing every report (marker "Prd")
    misconduct: dict = field(default_factory=dict)  # officer index -> MisconductCase (allegation: marker "Mis")


def build(world: World) -> Built:
    from django.contrib.auth import get_user_model

    from dividend.pools.models import ApiToken, Pool, RoleAssignment, Scope
    from dividend.reference.models import QualificationType, Skill
    from dividend.roster.models import Qualification, UnavailablePeriod
    from tests.factories import make_mission, make_officer, make_position, make_secondment

    pools = [Pool.objects.create(code=f"oq{n}", name=f"Pool {marker('Poo', n)}", kind="state_police", headcount=100)
             for n in range(world.pools)]
    skill = Skill.objects.order_by("code").first()
    users = []
    for n, u in enumerate(world.users):
        user = get_user_model().objects.create_user(username=f"oracle{n}", password="pw-Test-123",
                                                    is_superuser=u.superuser, is_staff=u.superuser)
        for role, scope in u.roles:
            if scope == NATIONAL:
                RoleAssignment.objects.create(user=user, role=role, scope=Scope.NATIONAL)
            else:
                RoleAssignment.objects.create(user=user, role=role, scope=Scope.POOLS).pools.set(
                    [pools[p] for p in sorted(scope)])
        users.append(user)
    owner = {u.officer: users[n] for n, u in enumerate(world.users) if u.officer is not None}
    position = make_position(make_mission("EUORQ"))
    medical = QualificationType.objects.get(code="medical_fitness")
    clearance = QualificationType.objects.filter(restricted=True, has_level=True).first()
    passport = QualificationType.objects.get(code="passport")
    other = QualificationType.objects.filter(restricted=False).exclude(pk=passport.pk).order_by("code").first()
    today = dt.date.today()
    from dividend.priorities.models import PriorityRun

    built = Built(world, pools, [], users, {}, {}, {}, position, [], skill_id=skill.pk,
                  run_id=PriorityRun.objects.order_by("-pk").values_list("pk", flat=True).first())
    for i, o in enumerate(world.officers):
        officer = make_officer(
            pools[o.pool], user=owner.get(i), first_name="Kari", last_name=marker("Zor", i),
            service_number=f"SNQ{i}", emergency_contact_name=marker("Kin", i),
            emergency_contact_phone=f"+99 70{i} 31{i}", available_from=today - dt.timedelta(days=10),
            max_duration_months=12, skills=[(skill.code, 3)], languages=[("en", 4, 4, 4)])
        built.officers.append(officer)
        built.restricted_markers[i] = [[marker("Kin", i)], [f"+99 70{i} 31{i}"]]
        built.restricted_quals[i] = []
        UnavailablePeriod.objects.create(officer=officer, start=dt.date(2019, 1, 1), end=dt.date(2019, 2, 1),
                                         reason="training")
        if o.medical:
            built.restricted_quals[i].append(Qualification.objects.create(
                officer=officer, qualification_type=medical, expires_on=medical_expiry(i)))
            built.restricted_markers[i].append(dates(medical_expiry(i)))
        if o.clearance:
            built.restricted_quals[i].append(Qualification.objects.create(
                officer=officer, qualification_type=clearance, level="secret", expires_on=clearance_expiry(i)))
            built.restricted_markers[i].append(dates(clearance_expiry(i)))
        # A passport valid long enough: the crisis query's hard condition (everyone qualifies).
        Qualification.objects.create(officer=officer, qualification_type=passport, expires_on=dt.date(2040, 1, 1))
        if o.pending:
            built.pending[i] = Qualification.objects.create(
                officer=officer, qualification_type=other, expires_on=dt.date(2039, 1, 1),
                status=Qualification.Status.PENDING)
        if o.secondment:
            built.secondments[i] = make_secondment(officer, position)
    # Selection: an open call sent to every pool of the world, every officer nominated to its position.
    from django.utils import timezone

    from dividend.selection.models import Call, CallPosition, Nomination

    built.call = Call.objects.create(organisation="eu_csdp", reference="EU-ORQ", title="Oracle call",
                                     published_on=today, national_deadline=today + dt.timedelta(days=20),
                                     organisation_deadline=today + dt.timedelta(days=30), status=Call.Status.OPEN)
    built.call.pools.set(pools)
    call_position = CallPosition.objects.create(call=built.call, position=position, posts=1)
    built.nominations = {i: Nomination.objects.create(call_position=call_position, officer=officer,
                                                      origin=Nomination.Origin.COORDINATOR, nominated_at=timezone.now())
                         for i, officer in enumerate(built.officers)}
    # A rapid deployment alert sent to every officer of the world.
    from dividend.alerts.models import Alert, Recipient

    built.alert = Alert.objects.create(title="Oracle alert", message="Go", start_date=today, sent_at=timezone.now())
    Recipient.objects.bulk_create([Recipient(alert=built.alert, officer=officer) for officer in built.officers])
    lifecycle_records(built)
    built.tokens = [ApiToken.issue(user=user, name=marker("Tok", n))[0] for n, user in enumerate(users)]
    return built


def lifecycle_records(built: Built) -> None:
    """Each secondment's duty-of-care contact (its notes restricted), leave period with a debriefing
    and misconduct case (both restricted), careers debriefing (its content restricted) and
    pre-deployment checklist with one item (not restricted), each with a marker."""
    from django.utils import timezone

    from dividend.care.models import Contact, LeaveDebriefing, LeavePeriod, MisconductCase
    from dividend.careers.models import Debriefing
    from dividend.preparation.models import Checklist, ChecklistItem, Kind

    now = timezone.now()
    for i, secondment in built.secondments.items():
        Contact.objects.create(secondment=secondment, contact_on=dt.date(2020, 6, 1), channel="phone",
                               wellbeing="well", notes=f"Notes {marker('Cno', i)}", recorded_at=now)
        Debriefing.objects.create(secondment=secondment, mandate_implementation=f"Mandate {marker('Deb', i)}",
                                  host_country_context="Calm", networks_built="Some", lessons_learned="Many",
                                  written_at=now, updated_at=now)
        checklist = Checklist.objects.create(secondment=secondment, created_at=now)
        built.checklist_items[i] = ChecklistItem.objects.create(
            checklist=checklist, code="oracle", kind=Kind.TRAINING, title=f"Course {marker('Prp', i)}",
            due_date=dt.date(2019, 12, 1))
        # Leave with its debriefing, and a misconduct case: restricted care records like the notes.
        leave = built.leaves[i] = LeavePeriod.objects.create(secondment=secondment, start_date=dt.date(2020, 7, 1),
                                                             end_date=dt.date(2020, 7, 10), recorded_at=now)
        LeaveDebriefing.objects.create(leave=leave, held_on=dt.date(2020, 7, 11),
                                       content=f"Rested {marker('Lvd', i)}", recorded_at=now)
        built.misconduct[i] = MisconductCase.objects.create(secondment=secondment, category="other", reported_on=dt.date(2020, 7, 2),
                                      allegation=f"Alleged {marker('Mis', i)}", recorded_at=now)
        built.notes[i] = [marker("Cno", i), marker("Deb", i), marker("Lvd", i), marker("Mis", i)]
    field_reports(built)
    # A domestic vacancy in every pool (not personal data: its pool's careers roles see it).
    from dividend.careers.models import Vacancy

    built.vacancies = {p: Vacancy.objects.create(pool=pool, post=f"Desk {marker('Vac', p)}", unit="Unit",
                                                 location="Town", created_at=now)
                       for p, pool in enumerate(built.pools)}


def field_reports(built: Built) -> None:
    """A field report by each officer with a secondment, from its mission, its title marked "Rep",
    indexed for search as filing does (reports.search.refresh_reports)."""
    from django.utils import timezone

    from dividend.reports.models import FieldReport, ReportAttachment, TriageComment
    from dividend.reports.search import refresh_reports

    for i, secondment in built.secondments.items():
        built.reports[i] = FieldReport.objects.create(
            officer=secondment.officer, author=secondment.officer.user, mission=built.position.mission,
            period_start=dt.date(2020, 6, 1), period_end=dt.date(2020, 6, 7), kind="weekly",
            title=f"Oraclereport {marker('Rep', i)}", body="Checkpoints opened.", marking="green", credibility=2,
            reliability="B", draft_key=f"oracle-draft-{i}", submitted_at=timezone.now())
    refresh_reports([r.pk for r in built.reports.values()])
    # An attachment to each (its bytes carry the marker: a download shows it).
    for i, report in built.reports.items():
        content = b"\x89PNG\r\n\x1a\n " + marker("Att", i).encode()
        built.attachments[i] = ReportAttachment.objects.create(
            report=report, position=1, name="map.png", kind="png", size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), content=content)
    # The mission's monthly report, citing every field report (no author: readers by the rule alone).
    from dividend.reports.models import MonthlyReport

    built.monthly = MonthlyReport.objects.create(
        mission=built.position.mission, month=dt.date(2020, 6, 1), security_assessment=f"Calm {marker('Mon', 0)}",
        political_update="None", contingent_work="Patrols", marking="green", created_at=timezone.now(),
        updated_at=timezone.now())
    built.monthly.reports.set(list(built.reports.values()))
    # The products, each with one section citing every report and one list of its breadth.
    from dividend.reports.models import Audience, Citation, Product, ProductSection

    for key, (status, marking, breadth, members) in PRODUCTS.items():
        product = built.products[key] = Product.objects.create(
            kind="flash", year=2020, number=key + 1, title=f"Flash {marker('Prd', key)}", period_start=dt.date(2020, 6, 1),
            period_end=dt.date(2020, 6, 7), marking=marking, status=status, created_at=timezone.now(),
            published_at=timezone.now() if status == "published" else None)
        section = ProductSection.objects.create(product=product, position=1, heading="Situation", text="Calm.")
        Citation.objects.bulk_create([Citation(section=section, report=r) for r in built.reports.values()])
        audience = Audience.objects.create(name=f"Oracle list {key}", breadth=breadth)
        audience.members.set([u for n, u in enumerate(built.users) if members(n)])
        product.audiences.set([audience])
    # An intelligence debriefing of each, for a named group of the even-numbered users.
    from dividend.reports.models import IntelligenceDebriefing

    group = Audience.objects.create(name="Oracle debriefing cell", breadth="named")
    group.members.set([u for n, u in enumerate(built.users) if DEBRIEFING_GROUP(n)])
    for i, report in built.reports.items():
        built.debriefings[i] = IntelligenceDebriefing.objects.create(
            officer=report.officer, group=group, held_on=dt.date(2020, 9, 1),
            content=f"Taken {marker('Dbg', i)}", recorded_at=timezone.now())
        built.debriefings[i].reports.set([report])
    # Two analysts' comments on each: one between analysts ("Cin"), one for the report's author ("Cfa").
    for i, report in built.reports.items():
        for text, for_author in ((f"Internal {marker('Cin', i)}", False), (f"For you {marker('Cfa', i)}", True)):
            TriageComment.objects.create(report=report, author=built.users[0], text=text, for_author=for_author,
                                         created_at=timezone.now())


# --- Judging one answer ---------------------------------------------------------------------------

@dataclass
class Expect:
    """What one answer must be: its status, and which objects it shows (None: not checked)."""
    status: set
    officers: set | None = None  # exactly these officers (a list, a search, an export)
    officers_at_most: set | None = None  # no officer outside these (pages that may mention a few)
    restricted_at_most: set = field(default_factory=set)  # officers whose restricted data it may show
    restricted_exactly: set | None = None  # and must show (a detail with need-to-know)
    count: int | None = None  # the count the answer states
    ids: set | None = None  # exactly these ids in the JSON items (secondments, pools)
    markers: dict | None = None  # {marker: must appear (True) / must not (False)}
    notes_at_most: set | None = None  # officers whose restricted notes it may show (None: restricted_at_most)


def revealed(body: str, built: Built) -> tuple[set, set]:
    """(officers whose marker name appears, officers whose restricted data appears)."""
    officers = {i for i in range(len(built.officers)) if marker("Zor", i) in body}
    restricted = {i for i, groups in built.restricted_markers.items()
                  if any(m in body for group in groups for m in group)}
    return officers, restricted


COUNT_PATTERNS = [re.compile(r'id="result-count">([\d,]+) officer'), re.compile(r'"count": ?(\d+)'),
                  re.compile(r'([\d,]+) secondments?</span>')]


def stated_count(body: str) -> int | None:
    for pattern in COUNT_PATTERNS:
        found = pattern.search(body)
        if found:
            return int(found.group(1).replace(",", ""))
    return None


def json_ids(body: str) -> set:
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return set()
    items = data.get("items", []) if isinstance(data, dict) else data
    return {item.get("id") for item in items if isinstance(item, dict)}


def judge(expect: Expect, status: int, body: str, built: Built) -> list[str]:
    """The problems of one answer against the rule (an empty list: the answer is right)."""
    problems = []
    if status not in expect.status:
        kind = ("a false denial" if 200 <= min(expect.status) < 400 and status in (403, 404) else
                "not 404 for an object out of scope" if expect.status == {404} else "unexpected status")
        problems.append(f"{kind}: {status}, expected {sorted(expect.status)}")
    officers, restricted = revealed(body, built)
    allowed = expect.officers if expect.officers is not None else expect.officers_at_most
    if status >= 300 or min(expect.status) >= 300:
        allowed = set()  # a refusal shows nothing, and where one is due nothing may be shown
    if allowed is not None and officers - allowed:
        problems.append(f"leak: officers {sorted(officers - allowed)} out of scope shown")
    if expect.officers is not None and status < 300 and expect.officers - officers:
        problems.append(f"false denial: officers {sorted(expect.officers - officers)} in scope missing")
    notes = {i for i, texts in built.notes.items() if any(t in body for t in texts)}
    notes_allowed = expect.restricted_at_most if expect.notes_at_most is None else expect.notes_at_most
    if notes - notes_allowed:
        problems.append(f"restricted notes about officers {sorted(notes - notes_allowed)} shown outside need-to-know")
    if restricted - expect.restricted_at_most:
        problems.append(f"restricted data of officers {sorted(restricted - expect.restricted_at_most)} "
                        "shown outside need-to-know")
    if expect.restricted_exactly is not None and status < 300:
        missing = {i for i in expect.restricted_exactly
                   if not all(any(m in body for m in group) for group in built.restricted_markers[i])}
        if missing:
            problems.append(f"false denial: restricted data of officers {sorted(missing)} missing for need-to-know")
    if expect.count is not None and status < 300:
        count = stated_count(body)
        if count != expect.count:
            problems.append(f"count {count} stated, {expect.count} in scope")
    if expect.ids is not None and status < 300:
        ids = json_ids(body)
        if ids - expect.ids:
            problems.append(f"leak: ids {sorted(ids - expect.ids)} out of scope listed")
        if expect.ids - ids:
            problems.append(f"false denial: ids {sorted(expect.ids - ids)} in scope missing")
    for text, wanted in (expect.markers or {}).items():
        if status < 300 and (text in body) != wanted:
            problems.append(f"{'false denial' if wanted else 'leak'}: {text} {'missing' if wanted else 'shown'}")
    return problems


# --- The check ------------------------------------------------------------------------------------

@dataclass
class Tally:
    worlds: int = 0
    requests: int = 0
    problems: list = field(default_factory=list)  # (user, request (page), problem)
    progress: int = 0  # print a line every so many worlds (0: never)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def send(client, method, url, data):
    import json

    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.generic(method, url, data=json.dumps(data or {}), content_type="application/json")
    return client.generic(method, url, data=data or {})


def examine(world: World, tally: Tally, pages=None) -> list:
    """Build the world, send every probe as every user, judge every answer. Returns the problems."""
    from django.test import Client

    from robustness.access_pages import PAGES, ROLE_GATES
    from tests.factories import complete_sign_in

    built = build(world)
    tally.worlds += 1
    if tally.progress and tally.worlds % tally.progress == 0:  # a long run shows that it moves
        print(f"  access-oracle: {tally.worlds} worlds, {tally.requests} requests so far", flush=True)
    problems = []
    for n, user in enumerate(built.users):
        rule = Rule(world, world.users[n], n)
        client = Client()
        client.force_login(user)
        complete_sign_in(client, user)  # as the login page does: the second factor where roles need one
        # Record-free pages answer the same in every world but for the user's roles: each user opens
        # one of them per world (drawn), all of them over the run; every other page, every time.
        gate = ROLE_GATES[world.users[n].gate_page % len(ROLE_GATES)]
        for key, page in (pages or PAGES).items():
            if pages is None and key in ROLE_GATES and key != gate:
                continue
            for method, url, data, expect in page(built, n, rule):
                response = send(client, method, url, data)
                tally.requests += 1
                for problem in judge(expect, response.status_code, body_of(response), built):
                    problems.append((f"user {n}", f"{method} {url} ({key})", problem))
    return problems


def run_worlds(*, count: int, seed: int, tally: Tally, pages=None, shrink_seconds: float = 60) -> str | None:
    """Examine `count` random worlds; on a problem, hypothesis shrinks the world to a minimal one
    (asking only the first page that went wrong, for at most `shrink_seconds`). Returns the smallest
    failing world found with its problems, or None."""
    import logging
    import time

    from django.db import transaction
    from hypothesis import HealthCheck, Phase, given, settings

    from robustness.access_pages import PAGES

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # thousands of expected 403/404 lines
    failure = {}

    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate, Phase.shrink])
    @given(world=worlds())
    def one(world):
        asked = pages
        if failure:
            if time.monotonic() > failure["until"]:
                return  # the shrinking budget is spent: the smallest failing world so far stands
            asked = {key: (pages or PAGES)[key] for key in failure["keys"]}
        with transaction.atomic():
            problems = examine(world, tally, asked)
            transaction.set_rollback(True)
        if problems:
            if not failure:
                failure["until"] = time.monotonic() + shrink_seconds
                failure["keys"] = [problems[0][1].rsplit(" (", 1)[1][:-1]]  # the first page that went wrong
            failure["world"], failure["problems"] = world, problems
            raise AssertionError(problems[0])

    one._hypothesis_internal_use_seed = seed
    try:
        one()
    except Exception:  # the failure itself, or hypothesis' complaint when the budget cut shrinking short
        if not failure:
            raise
        lines = [f"minimal world: {failure['world'].describe()}"]
        lines += [" ".join(p) for p in failure["problems"][:20]]
        tally.problems = failure["problems"]
        return "\n".join(lines)
    return None


def shared_records():
    """The priority model, dataset and run every world shares: not personal data, the same for
    everyone who may read them (made once: a run takes a while)."""
    from dividend.priorities import services as priorities
    from tests.factories import make_user
    from tests.priorities_app.conftest import SMALL_MODEL

    policy = make_user("policy_officer", national=True, username="oracle-policy")
    model = priorities.create_model(actor=policy, name="oracle", text=SMALL_MODEL, home_country="BEL")
    priorities.start_run(actor=policy, version=model.current_version, draws=20, seed=7, label="baseline")
    priorities.upload_dataset(actor=policy, name="oracle_cases", rows=[{"iso3": "COL", "year": 2023, "value": 4}])


def _check(*, mode, seed, result):
    result.unit = "worlds"
    shared_records()
    tally = Tally(progress=100 if mode == "full" else 0)
    minimal = run_worlds(count=WORLDS[mode], seed=seed, tally=tally, shrink_seconds=SHRINK_SECONDS[mode])
    result.count = tally.worlds
    result.failures = len(tally.problems)
    result.notes.append(f"{tally.requests} requests in {tally.worlds} worlds (shrinking included)")
    if minimal:
        result.notes.extend(minimal.splitlines())


check = Check("access-oracle", _check)
