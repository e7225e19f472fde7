"""Field reports from secondees and the standing information requirements they answer (issue 12).

A deployed secondee files a report on their mission: the period it covers, its type, title and
body, themes from the product's one theme vocabulary, places, a handling marking (TLP 2.0) and a
source evaluation (credibility of the information 1–6 per report; reliability A–F as a property of
the source, kept as a history that pre-fills the next report). Classified content never gets
here: the intake form refuses it before anything is stored (`reports.classification`).

Every change goes through `reports.services` (one function per move, audited).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.pools.access import EVERY_POOL

from . import access


class Marking(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST): who the information may be shared with."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


# Least to most strict: a product is marked at least as strictly as the strictest source it cites.
STRICTNESS = {Marking.CLEAR: 0, Marking.GREEN: 1, Marking.AMBER: 2, Marking.AMBER_STRICT: 3, Marking.RED: 4}

# Source reliability (the Admiralty code's letters): a property of the source, not of one report.
RELIABILITY = [
    ("A", _("A – completely reliable")),
    ("B", _("B – usually reliable")),
    ("C", _("C – fairly reliable")),
    ("D", _("D – not usually reliable")),
    ("E", _("E – unreliable")),
    ("F", _("F – reliability cannot be judged")),
]
# Credibility of the information in one report.
CREDIBILITY = [
    (1, _("1 – confirmed by other sources")),
    (2, _("2 – probably true")),
    (3, _("3 – possibly true")),
    (4, _("4 – doubtful")),
    (5, _("5 – improbable")),
    (6, _("6 – truth cannot be judged")),
]


class InformationRequirementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts see every requirement; a secondee those of the missions they are deployed to."""
        if user is None or not user.is_authenticated:
            return self.none()
        if access.is_analyst(user):
            return self
        if not access.can_file_reports(user):
            return self.none()
        return self.for_missions(deployed_missions(user)).filter(active=True)

    def for_missions(self, missions):
        """Requirements that apply to any of `missions`: set for the mission itself, for a region
        one of its host countries lies in, or for one of its thematic areas."""
        from dividend.missions.models import Mission

        missions = Mission.objects.filter(pk__in=[m.pk for m in missions])
        regions = missions.values("host_countries__subregion")
        themes = missions.values("thematic_areas")
        return self.filter(Q(mission__in=missions) | Q(region__in=regions, region__gt="")
                           | Q(theme__in=themes, mission__isnull=True, region=""))


class InformationRequirement(models.Model):
    """What analysts ask secondees to look out for and report on, for a mission, a region (UN M49
    sub-region) or a theme."""

    title = models.CharField(_("title"), max_length=200, validators=[no_markup])
    description = models.TextField(_("what to look out for"), max_length=4000)
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="information_requirements", verbose_name=_("mission"))
    region = models.CharField(_("region"), max_length=60, blank=True,
                              help_text=_("A UN M49 sub-region, e.g. Sub-Saharan Africa."))
    theme = models.ForeignKey("reference.ThematicArea", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="information_requirements", verbose_name=_("theme"))
    active = models.BooleanField(_("active"), default=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InformationRequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("information requirement")
        verbose_name_plural = _("information requirements")
        ordering = ["-active", "title", "id"]

    def __str__(self):
        return self.title

    @property
    def applies_to(self) -> str:
        from dividend.reference.names import name

        if self.mission_id:
            return self.mission.acronym
        return name(self.region) if self.region else (name(self.theme.name) if self.theme_id else "")


def deployed_missions(user):
    """Missions the user's own officer record is deployed to now."""
    from dividend.missions.models import Mission
    from dividend.secondments.models import Secondment

    return Mission.objects.filter(positions__secondments__in=Secondment.objects.deployed()
                                  .filter(officer__user=user)).distinct()


class FieldReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts: the reports of officers of their pools (national: every report); a secondee: their own."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.analyst_pools(user)
        if pools is EVERY_POOL:
            return self
        condition = Q(officer__user=user)
        if pools:
            condition |= Q(officer__pool__in=pools)
        return self.filter(condition)

    def authors_read_by(self, user):
        """The officers whose reports among these `visible_to(user)` holds, as a queryset of ids, or
        None where the user reads every officer's (national analysts). The same rule as
        `visible_to`, read by officer: the search asks its index for these authors' reports."""
        pools = access.analyst_pools(user) if user is not None and user.is_authenticated else ()
        if pools is EVERY_POOL:
            return None
        from dividend.roster.models import Officer

        condition = Q(user=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        if pools:
            condition |= Q(pool__in=pools)
        # EXISTS per officer (its index): an IN over the reports' officers listed all 1,000,000.
        return Officer.objects.filter(condition, Exists(self.filter(officer=OuterRef("pk")))).values("pk")

    def with_related(self):
        return self.select_related("officer", "officer__pool", "mission")


class FieldReport(models.Model):
    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        ACCEPTED = "accepted", _("Accepted")
        FILED = "filed", _("Filed")
        NEEDS_INFORMATION = "needs_information", _("Needs information")

    # Allowed moves of the analysts' triage; each through reports.services.change_report_status.
    TRANSITIONS = {
        Status.NEW: {Status.IN_REVIEW, Status.ACCEPTED, Status.FILED, Status.NEEDS_INFORMATION},
        Status.IN_REVIEW: {Status.ACCEPTED, Status.FILED, Status.NEEDS_INFORMATION},
        Status.NEEDS_INFORMATION: {Status.IN_REVIEW, Status.ACCEPTED, Status.FILED},
        Status.ACCEPTED: {Status.IN_REVIEW},
        Status.FILED: {Status.IN_REVIEW},
    }
    # Moves that need a reason (what is missing; why it is set aside).
    REASON_NEEDED = frozenset({Status.NEEDS_INFORMATION, Status.FILED})

    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="field_reports",
                                verbose_name=_("author"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    mission = models.ForeignKey("missions.Mission", on_delete=models.PROTECT, related_name="field_reports",
                                verbose_name=_("mission"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("report"), max_length=20000)
    themes = models.ManyToManyField("reference.ThematicArea", blank=True, related_name="field_reports",
                                    verbose_name=_("themes"))
    countries = models.ManyToManyField("reference.Country", blank=True, related_name="field_reports",
                                       verbose_name=_("countries"))
    places = models.CharField(_("places"), max_length=500, blank=True,
                              help_text=_("Cities and places, separated by semicolons."))
    marking = models.CharField(_("handling marking"), max_length=12, choices=Marking.choices)
    credibility = models.PositiveSmallIntegerField(_("credibility of the information"), choices=CREDIBILITY,
                                                   validators=[MinValueValidator(1), MaxValueValidator(6)])
    reliability = models.CharField(_("reliability of the source"), max_length=1, choices=RELIABILITY)
    requirements = models.ManyToManyField(InformationRequirement, blank=True, related_name="reports",
                                          verbose_name=_("information requirements answered"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True, max_length=2000)
    # The client's key for one draft: sending the same draft again (a lost answer on a poor
    # connection) gives back the report already filed, never a second one.
    draft_key = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()

    objects = FieldReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("field report")
        verbose_name_plural = _("field reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "draft_key"], name="field_report_draft_once"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="field_report_period_in_order"),
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"]),
                   # The search's period filter (reports.search) read from the index alone: a
                   # 90-day period at 100,000 reports on PostgreSQL went from a scan of the table
                   # (47 ms) to 1 ms of this index.
                   models.Index(fields=["period_end", "period_start", "id"], name="field_report_period")]

    def __str__(self):
        return self.title

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def place_list(self) -> list[str]:
        return [p.strip() for p in self.places.split(";") if p.strip()]


class SourceReliability(models.Model):
    """The history of a source's (a secondee's) reliability: who set which grade when and why. The
    latest pre-fills their next report; analysts' feedback adds to it."""

    officer = models.ForeignKey("roster.Officer", on_delete=models.CASCADE, related_name="reliability_history")
    grade = models.CharField(max_length=1, choices=RELIABILITY)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self):
        return f"{self.officer_id}: {self.grade}"


def current_reliability(officer) -> str:
    """The source's latest reliability grade; F (cannot be judged) for a new source."""
    latest = SourceReliability.objects.filter(officer=officer).values_list("grade", flat=True).first()
    return latest or "F"


# --- Products: situation reports, flash reports, input on a mandate review (issue 12 §5) ---------


class Breadth(models.TextChoices):
    """How far an audience reaches, from narrowest to broadest; each matches the TLP 2.0 marking
    that may be shared that far (BREADTH_MARKING)."""

    NAMED = "named", _("Named recipients only")
    ORGANISATION = "organisation", _("Our organisation only")
    PARTNERS = "partners", _("Our organisation and its partners")
    COMMUNITY = "community", _("Community")
    PUBLIC = "public", _("Public")


# The strictest marking an audience of each breadth may receive: a named list takes anything up to
# RED; the public only CLEAR.
BREADTH_MARKING = {Breadth.NAMED: Marking.RED, Breadth.ORGANISATION: Marking.AMBER_STRICT,
                   Breadth.PARTNERS: Marking.AMBER, Breadth.COMMUNITY: Marking.GREEN, Breadth.PUBLIC: Marking.CLEAR}


def strictest(markings) -> str | None:
    """The strictest of `markings` (None for none)."""
    markings = [m for m in markings if m]
    return max(markings, key=lambda m: STRICTNESS[m]) if markings else None


def breadths_allowed(marking: str) -> list[str]:
    """The audience breadths a product marked `marking` may reach."""
    return [b for b, most in BREADTH_MARKING.items() if STRICTNESS[most] >= STRICTNESS[marking]]


class AudienceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analysts see every distribution list; anyone else the lists they are on."""
        if user is None or not user.is_authenticated:
            return self.none()
        if access.can_manage_audiences(user):
            return self
        return self.filter(members=user)


class Audience(models.Model):
    """A distribution list: named users and how far the list reaches (its breadth)."""

    name = models.CharField(_("name"), max_length=120, unique=True, validators=[no_markup])
    breadth = models.CharField(_("breadth"), max_length=12, choices=Breadth.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="report_audiences",
                                     verbose_name=_("members"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AudienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def may_receive(self, marking: str) -> bool:
        return self.breadth in breadths_allowed(marking)


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The queryset form of `access.can_read_product`: its producers (the author; analysts who read
        every report it cites) in any state, and once published the members of an audience the
        product's marking allows."""
        if user is None or not user.is_authenticated:
            return self.none()
        condition = Q(author=user)
        pools = access.analyst_pools(user)
        if pools is EVERY_POOL:
            condition |= Q(pk__isnull=False)
        elif pools:
            outside = Citation.objects.filter(section__product=models.OuterRef("pk")).exclude(
                Q(report__officer__pool__in=pools) | Q(report__officer__user=user))
            condition |= ~models.Exists(outside)
        reach = Q()
        for marking in Marking.values:
            reach |= Q(marking=marking, audiences__breadth__in=breadths_allowed(marking), audiences__members=user)
        audience = Product.objects.filter(reach, pk=models.OuterRef("pk"))
        condition |= Q(status=Product.Status.PUBLISHED) & models.Exists(audience)
        return self.filter(condition)


class Product(models.Model):
    """A situation report, a flash report or national input on a mission's mandate review, composed
    from accepted field reports and approved by a second analyst."""

    class Kind(models.TextChoices):
        SITREP = "sitrep", _("Situation report")
        FLASH = "flash", _("Flash report")
        MANDATE = "mandate", _("Input on a mandate review")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    PREFIX = {Kind.SITREP: "SITREP", Kind.FLASH: "FLASH", Kind.MANDATE: "MANDATE"}
    # Allowed moves, each through its own function in reports.services.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.PUBLISHED, Status.DRAFT},
        Status.PUBLISHED: {Status.WITHDRAWN},
        Status.WITHDRAWN: set(),
    }

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, validators=[no_markup])
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="report_products", verbose_name=_("mission"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    marking = models.CharField(_("handling marking"), max_length=12, choices=Marking.choices)
    # The approver may mark a product less strictly than its sources, with a reason (audited).
    downgrade_reason = models.CharField(_("reason for the lower marking"), max_length=500, blank=True)
    downgraded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    audiences = models.ManyToManyField(Audience, blank=True, related_name="products", verbose_name=_("audiences"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True, max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("approver"))
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="product_reference_once"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="product_period_in_order"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The stable reference: SITREP-2026-17, FLASH-2026-2, MANDATE-2026-1."""
        return f"{self.PREFIX[self.kind]}-{self.year}-{self.number}"

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def cited_reports(self):
        return FieldReport.objects.filter(citations__section__product=self).distinct()

    def cited_sources(self) -> list[tuple[int, int | None]]:
        """(pool id, user id) of the officers whose reports it cites."""
        return list(Citation.objects.filter(section__product=self).values_list(
            "report__officer__pool_id", "report__officer__user_id").distinct())

    def sources_marking(self) -> str | None:
        """The strictest marking among the reports it cites."""
        return strictest(Citation.objects.filter(section__product=self).values_list("report__marking", flat=True))


class ProductSection(models.Model):
    """One section of a product: a heading, the analyst's text and the reports it cites."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(_("heading"), max_length=200, validators=[no_markup])
    text = models.TextField(_("analysis"), max_length=20000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.heading


class Citation(models.Model):
    """A field report cited by a section (the product's provenance)."""

    section = models.ForeignKey(ProductSection, on_delete=models.CASCADE, related_name="citations")
    report = models.ForeignKey(FieldReport, on_delete=models.PROTECT, related_name="citations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "report"], name="citation_once")]

    def __str__(self):
        return f"{self.section_id} → {self.report_id}"


# --- Feedback to sources (issue 12 §6) ------------------------------------------------------------


class ReportFeedback(models.Model):
    """An analyst's verdict on a report, which its author reads: useful, unverified or false."""

    class Verdict(models.TextChoices):
        USEFUL = "useful", _("Useful")
        UNVERIFIED = "unverified", _("Unverified")
        FALSE = "false", _("False")

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="feedback")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self):
        return f"{self.report_id}: {self.verdict}"


# --- Debriefings (issue 12 §8) -------------------------------------------------------------------


class IntelligenceDebriefingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The members of each debriefing's named group, and nobody else (no role sees them all)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(group__members=user, group__breadth=Breadth.NAMED)


class IntelligenceDebriefing(models.Model):
    """What is taken in an intelligence debriefing on return: restricted, read by the members of one
    named group only, linked by reference to the officer's earlier field reports and, where it
    exists, to the end-of-mission debriefing of the careers app (by id, never copied). It is no field
    report: never in the funnel, the reports lists or any search."""

    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="intelligence_debriefings",
                                verbose_name=_("officer"))
    group = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="debriefings",
                              verbose_name=_("named group"))
    held_on = models.DateField(_("held on"))
    content = models.TextField(_("what was taken"), max_length=20000)
    reports = models.ManyToManyField(FieldReport, blank=True, related_name="debriefings",
                                     verbose_name=_("earlier reports"))
    careers_debriefing = models.ForeignKey("careers.Debriefing", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name=_("end-of-mission debriefing"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    objects = IntelligenceDebriefingQuerySet.as_manager()

    class Meta:
        verbose_name = _("intelligence debriefing")
        verbose_name_plural = _("intelligence debriefings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.officer_id} {self.held_on}"


# --- Triage: assignment, comments between analysts, the edit lock (issue 12 §4) ---------------------
# Workflows in reports.triage; pages in reports.triage_views; docs/reports-triage.md.


class ReportAssignment(models.Model):
    """Which analyst a report is assigned to for triage (at most one; none: the queue's "nobody")."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, primary_key=True,
                                  related_name="triage_assignment")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("assigned to"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["analyst"], name="report_assignment_analyst")]

    def __str__(self):
        return f"{self.report_id} → {self.analyst_id}"


class ReportLockQuerySet(models.QuerySet):
    def live(self, now=None):
        from django.utils import timezone

        return self.filter(expires_at__gt=now or timezone.now())


class ReportLock(models.Model):
    """Someone is editing a report's triage: taken when the triage form opens, released when it is
    saved, expired after `reports.triage.lock_lifetime()` (a stale lock counts for nothing). While
    it is live nobody else saves triage changes or moves the report's status."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, primary_key=True, related_name="triage_lock")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = ReportLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")

    def __str__(self):
        return f"{self.report_id} locked by {self.holder_id}"

    def is_live(self, now=None) -> bool:
        from django.utils import timezone

        return self.expires_at > (now or timezone.now())


def lock_held_by_other(report, user, now=None):
    """The live lock another user holds on `report`, or None."""
    return (ReportLock.objects.live(now).filter(report_id=report.pk).exclude(holder_id=getattr(user, "pk", None))
            .select_related("holder").first())


class TriageCommentQuerySet(models.QuerySet):
    def visible_to(self, user, report):
        """Analysts who triage the report read every comment on it; its author (the secondee) only
        the comments marked for them; anyone else none."""
        if user is None or not user.is_authenticated:
            return self.none()
        comments = self.filter(report_id=report.pk)
        if access.can_triage_report(user, report):
            return comments
        if report.officer.user_id == user.pk:
            return comments.filter(for_author=True)
        return self.none()


class TriageComment(models.Model):
    """A comment on a report between the analysts who triage it. Append-only (never edited or
    deleted; each one audited). The report's author reads only those marked `for_author`."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="triage_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    for_author = models.BooleanField(_("shown to the report's author"), default=False)
    created_at = models.DateTimeField()

    objects = TriageCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("triage comment")
        verbose_name_plural = _("triage comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report_id}: {self.pk}"
# --- Near-duplicates (issue 12 §4): derived signatures and candidates, and analysts' decisions ----
# `reports.duplicates` keeps the first three (derived from each report's title and body: refreshed
# when a report is filed or its text changes, checked and rebuilt by `manage.py reports_duplicates`);
# a decision is a record an analyst makes through `reports.duplicate_services`.


class DuplicateFingerprint(models.Model):
    """Which text (a hash of the normalised title and body, and the signature's parameters) a
    report's LSH band rows were computed from (a report whose text no longer gives this hash is
    stale), and its compact MinHash signature."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, primary_key=True, related_name="+")
    text_hash = models.CharField(max_length=40)
    # The low 16 bits of each MinHash value: estimates the similarity of two reports without their texts.
    signature = models.BinaryField()
    # The CRC-32 values of the text's distinct words (sorted, little-endian 32-bit): what the report
    # added to DuplicateWordCount, taken away again when it is forgotten.
    words = models.BinaryField(default=b"")

    def __str__(self):
        return f"{self.report_id}: {self.text_hash}"


class DuplicateWordCount(models.Model):
    """In how many indexed reports a word occurs (its document frequency, for the TF-IDF weights of
    the near-duplicate confirmation): `word` is the CRC-32 of the normalised word; the row whose
    word is -1 counts the indexed reports themselves."""

    word = models.BigIntegerField(primary_key=True)
    reports = models.IntegerField()

    def __str__(self):
        return f"{self.word}: {self.reports}"


class DuplicateBand(models.Model):
    """One LSH band of a report's MinHash signature: reports sharing a (band, bucket) are candidates."""

    # The primary key is the lookup's index: (band, bucket) first, no id column of its own.
    pk = models.CompositePrimaryKey("band", "bucket", "report")
    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    bucket = models.BigIntegerField()

    def __str__(self):
        return f"{self.report_id}: {self.band}/{self.bucket}"


class DuplicatePendingBands(models.Model):
    """A report's LSH bands not yet merged into `DuplicateBand`: its BANDS buckets in one row
    (little-endian signed 64-bit values, band 0 first), written in report order. Probes read them
    all; `duplicates.merge_pending` moves them into `DuplicateBand` in key order now and then."""

    report = models.OneToOneField(FieldReport, on_delete=models.CASCADE, primary_key=True, related_name="+")
    buckets = models.BinaryField()

    def __str__(self):
        return f"{self.report_id}: {len(self.buckets or b'') // 8} pending bands"


class DuplicateCandidate(models.Model):
    """Two reports whose texts are confirmed near-duplicates (lower id first), with their similarity."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "other"], name="report_dup_candidate_once"),
            models.CheckConstraint(condition=Q(report__lt=models.F("other")), name="report_dup_candidate_ordered"),
        ]

    def __str__(self):
        return f"{self.report_id} ~ {self.other_id}: {self.similarity}"


class DuplicateDecision(models.Model):
    """An analyst's decision on two reports: `report` is a duplicate of `other`, or they are not
    duplicates. Never a merge: both reports stay as they are; a pair decided is not suggested again."""

    class Verdict(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="duplicate_decisions")
    other = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("decision"), max_length=14, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "other"], name="report_dup_decision_once"),
            models.CheckConstraint(condition=~Q(report=models.F("other")), name="report_dup_decision_two_reports"),
        ]

    def __str__(self):
        return f"{self.report_id} {self.verdict} {self.other_id}"


# --- Attachments (issue 12 §1; checks and text extraction in reports/attachments.py) ---------------


class ReportAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The attachments of the reports the user reads (`FieldReport.objects.visible_to`)."""
        return self.filter(report__in=FieldReport.objects.visible_to(user))

    def listing(self):
        """Without the file and its text: what pages and the API list."""
        return self.defer("content", "text")


class ReportAttachment(models.Model):
    """A PDF, DOCX or image filed with a report. Kept in the database, not under MEDIA_ROOT: the
    report and its files are written in one transaction (a refused report leaves no file behind), the
    backup and restore commands cover the database only (docs/operations.md), and a download goes
    through the same queryset as the report. The type is the one detected from the content."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=[("pdf", "PDF"), ("docx", "DOCX"), ("png", "PNG"),
                                                                ("jpeg", "JPEG")])
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    text = models.TextField(blank=True, help_text=_("The text extracted for search (none for images)."))

    objects = ReportAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="report_attachment_position")]

    def __str__(self):
        return self.name

# --- Monthly mission report (issue 12 §7) ----------------------------------------------------------


class MonthlyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The queryset form of `access.can_read_monthly_report`: analysts only; its author, and
        analysts who read every field report it cites (national analysts: every monthly report)."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.analyst_pools(user)
        if pools is EVERY_POOL:
            return self
        if not pools:
            return self.none()
        outside = FieldReport.objects.filter(monthly_reports=models.OuterRef("pk")).exclude(
            Q(officer__pool__in=pools) | Q(officer__user=user))
        return self.filter(Q(author=user) | ~models.Exists(outside))


class MonthlyReport(models.Model):
    """The monthly mission report (as Sweden writes one per mission): a short security assessment, a
    political update and the work of the national contingent, drafted from the month's accepted
    field reports (cited by reference, FR-<id>) and the duty-of-care contact log (counts only, never
    its notes), edited by its author and approved by a second analyst. Marked at least as strictly
    as the strictest report it cites."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        RETURNED = "returned", _("Returned to the author")
        APPROVED = "approved", _("Approved")

    # Allowed moves, each through its own function in reports.monthly.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }
    EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})

    mission = models.ForeignKey("missions.Mission", on_delete=models.PROTECT, related_name="monthly_reports",
                                verbose_name=_("mission"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    security_assessment = models.TextField(_("security assessment"), max_length=20000)
    political_update = models.TextField(_("political update"), max_length=20000)
    contingent_work = models.TextField(_("work of the national contingent"), max_length=20000)
    marking = models.CharField(_("handling marking"), max_length=12, choices=Marking.choices)
    reports = models.ManyToManyField(FieldReport, blank=True, related_name="monthly_reports",
                                     verbose_name=_("cited reports"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True, max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("approver"))
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly mission report")
        verbose_name_plural = _("monthly mission reports")
        ordering = ["-month", "mission__acronym", "id"]
        constraints = [models.UniqueConstraint(fields=["mission", "month"], name="monthly_report_once")]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """MMR-EUCAP-2026-11: the mission's acronym and the month."""
        return f"MMR-{self.mission.acronym}-{self.month:%Y-%m}"

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    def sources_marking(self) -> str | None:
        return strictest(self.reports.values_list("marking", flat=True))





# --- Search (issue 12 §9) ------------------------------------------------------------------------


class ReportSearchText(models.Model):
    """The text a field report is found by (derived data, see `reports.search`): its title, the
    rest of what is indexed (body, places, countries, theme names, attachment text) as one text,
    and the tokens of what it is filtered by.
    SQLite indexes it in the FTS5 table `reports_search_fts`, PostgreSQL in the tsvector column
    `vector` (GIN index), both kept by the engine from this table (reports migration 0008)."""

    report = models.OneToOneField(FieldReport, primary_key=True, on_delete=models.CASCADE,
                                  related_name="search_text")
    title = models.TextField()
    text = models.TextField()
    # Tokens of the report's mission, themes, countries and months covered (reports.search.facets):
    # SQLite searches them with the words (the filters as FTS5 postings); not in the tsvector.
    facets = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("search text of a field report")
        verbose_name_plural = _("search texts of field reports")

    def __str__(self):
        return f"{self.report_id}"


class ReportSearchTerm(models.Model):
    """A term of the SQLite full-text index (derived data, see `reports.search`): every term FTS5
    holds (cut to TERM_LENGTH characters), so that a word searched as a prefix is looked up as the
    terms it begins. Filled by `reports.search.store_texts`; empty on PostgreSQL, whose GIN index
    serves prefixes itself."""

    term = models.CharField(primary_key=True, max_length=64)

    class Meta:
        verbose_name = _("search term of the field reports")
        verbose_name_plural = _("search terms of the field reports")

    def __str__(self):
        return self.term
