"""Calls for contributions (EU CSDP, UN, OSCE), their positions on missions of the registry, and the
officers nominated to them, from the release by their line manager to the outcome.

Every change goes through `selection.services` (one function per move, audited); a selected officer's
planned secondment is created there through `secondments.services.create_secondment`.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup
from dividend.missions.models import Organisation
from dividend.pools.access import EVERY_POOL

from . import access

# The organisations that issue calls for contributions (the missions app's vocabulary).
CALL_ORGANISATIONS = (Organisation.EU_CSDP, Organisation.UN, Organisation.OSCE)


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National roles: every call; pool staff: calls sent to their pools; secondees: calls sent to
        their pool that are no longer drafts; panel members of a call: that call (access.py)."""
        if user is None or not user.is_authenticated:
            return self.none()
        pools = access.call_pools(user)
        if pools is EVERY_POOL:
            return self
        condition = Q(pk__in=access.panel_call_ids(user))
        if pools:
            condition |= Q(pools__in=pools)
        secondee = access.secondee_pools(user)
        if secondee:
            condition |= Q(pools__in=secondee) & ~Q(status=Call.Status.DRAFT)
        return self.filter(pk__in=Call.objects.filter(condition).values("pk"))

    def open_for_nominations(self):
        return self.filter(status=Call.Status.OPEN)


class Call(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular call")
        SHORT_NOTICE = "short_notice", _("Short-notice call")
        PLANNING_TEAM = "planning_team", _("Mission planning team")
        HEADQUARTERS = "headquarters", _("Headquarters post")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        NATIONAL_SELECTION = "national_selection", _("National selection")
        NOMINATIONS_SENT = "nominations_sent", _("Nominations sent")
        CLOSED = "closed", _("Closed")

    # Allowed moves; every change goes through selection.services.change_call_status.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN, Status.CLOSED},
        Status.OPEN: {Status.NATIONAL_SELECTION, Status.CLOSED},
        Status.NATIONAL_SELECTION: {Status.NOMINATIONS_SENT, Status.CLOSED},
        Status.NOMINATIONS_SENT: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    ACTIVE = frozenset({Status.DRAFT, Status.OPEN, Status.NATIONAL_SELECTION})

    organisation = models.CharField(_("organisation"), max_length=12,
                                    choices=[(o.value, o.label) for o in CALL_ORGANISATIONS])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    reference = models.CharField(_("reference"), max_length=60, validators=[no_markup],
                                 help_text=_("The organisation's reference of the call."))
    title = models.CharField(_("title"), max_length=200, validators=[no_markup])
    published_on = models.DateField(_("publication date"))
    organisation_deadline = models.DateField(_("organisation's deadline"))
    national_deadline = models.DateField(_("national pre-deadline"),
                                         help_text=_("Nominations close here, before the organisation's deadline."))
    pools = models.ManyToManyField("pools.Pool", related_name="calls", verbose_name=_("pools"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for contributions")
        verbose_name_plural = _("calls for contributions")
        ordering = ["national_deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "reference"],
                                               name="call_unique_reference_per_organisation")]

    def __str__(self):
        return f"{self.reference} – {self.title}"

    def clean(self):
        check_deadlines(self.published_on, self.national_deadline, self.organisation_deadline)

    def pool_ids(self) -> list[int]:
        """The pools the call is sent to (from a prefetch when there is one)."""
        return [p.pk for p in self.pools.all()]

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]

    def accepts_nominations(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.status == self.Status.OPEN and today <= self.national_deadline

    def days_to_national_deadline(self, today: dt.date | None = None) -> int:
        return (self.national_deadline - (today or dt.date.today())).days


def check_deadlines(published_on, national_deadline, organisation_deadline) -> None:
    """The one rule on a call's dates: published, then the national pre-deadline, then the
    organisation's deadline (strictly before it: the nominations must reach the organisation)."""
    errors = {}
    if national_deadline and organisation_deadline and national_deadline >= organisation_deadline:
        errors["national_deadline"] = _("The national pre-deadline must be before the organisation's deadline "
                                        "(%(deadline)s).") % {"deadline": f"{organisation_deadline:%Y-%m-%d}"}
    if published_on and national_deadline and national_deadline < published_on:
        errors.setdefault("national_deadline", _("The national pre-deadline is before the publication date."))
    if errors:
        raise ValidationError(errors)


class CallPositionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(call__in=Call.objects.visible_to(user))

    def with_related(self):
        return self.select_related("call", "position__mission", "position__job_description", "position__minimum_rank")


class CallPosition(models.Model):
    """A position of a mission of the registry offered in a call, with its number of posts."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="positions", verbose_name=_("call"))
    position = models.ForeignKey("missions.Position", on_delete=models.PROTECT, related_name="call_positions",
                                 verbose_name=_("position"))
    posts = models.PositiveSmallIntegerField(_("posts"), default=1, validators=[MinValueValidator(1),
                                                                                MaxValueValidator(100)])

    objects = CallPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position in a call")
        verbose_name_plural = _("positions in calls")
        ordering = ["call_id", "position__mission__acronym", "position__title", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="call_position_unique")]

    def __str__(self):
        return f"{self.position.title} – {self.position.mission.acronym}"

    def clean(self):
        check_position_for_call(self.call, self.position)


def check_position_for_call(call, position) -> None:
    """A call's position is on a mission of the call's organisation that is not closed."""
    mission = position.mission
    if mission.organisation != call.organisation:
        raise ValidationError({"position": _("%(mission)s is a mission of %(theirs)s, not of %(ours)s like the call.")
                               % {"mission": mission.acronym, "theirs": mission.get_organisation_display(),
                                  "ours": call.get_organisation_display()}})
    if mission.status == mission.Status.CLOSED:
        raise ValidationError({"position": _("%(mission)s is closed.") % {"mission": mission.acronym}})


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Teams with a member whose nomination the user sees."""
        return self.filter(pk__in=Nomination.objects.visible_to(user).filter(team__isnull=False).values("team_id"))


class Team(models.Model):
    """A specialised team nominated as one package to a position of a call with several posts (a
    forensic team, a specialised police team): its leader, its equipment list and, through
    `Nomination.team`, its members' nominations, which go through the release steps one by one."""

    call_position = models.ForeignKey(CallPosition, on_delete=models.PROTECT, related_name="teams",
                                      verbose_name=_("position in a call"))
    name = models.CharField(_("team name"), max_length=120, validators=[no_markup])
    leader = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("team leader"))
    equipment = models.TextField(_("equipment list"), blank=True, max_length=4000,
                                 help_text=_("One item per line."))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    nominated_at = models.DateTimeField()

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["call_position_id", "name", "id"]

    def __str__(self):
        return self.name

    @property
    def equipment_items(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nominations to calls the user sees, of officers the user sees (a secondee: their own).
        A panel member scoped to one call sees that call but not its nominations by name: the panel
        works from the anonymised summaries of `selection.panel`, which read the call's nominations
        themselves and show no name, pool or gender."""
        from dividend.roster.models import Officer

        if user is None or not user.is_authenticated:
            return self.none()
        calls = Call.objects.visible_to(user)
        return self.filter(call_position__call__in=calls, officer__in=Officer.objects.visible_to(user))

    def with_related(self):
        return self.select_related("officer", "officer__pool", "call_position__call",
                                   "call_position__position__mission", "team")

    def awaiting_release(self):
        return self.filter(status=Nomination.Status.AWAITING_RELEASE)


class Nomination(models.Model):
    class Origin(models.TextChoices):
        COORDINATOR = "coordinator", _("Nominated by a coordinator")
        INTEREST = "interest", _("Interest expressed by the officer")

    class Status(models.TextChoices):
        AWAITING_RELEASE = "awaiting_release", _("Awaiting release")
        RELEASED = "released", _("Released")
        APPROVED = "approved", _("Approved without release")
        REFUSED = "refused", _("Release refused")
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("Reserve")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Allowed moves, each through one function of selection.services.
    TRANSITIONS = {
        Status.AWAITING_RELEASE: {Status.RELEASED, Status.REFUSED, Status.APPROVED, Status.WITHDRAWN},
        Status.RELEASED: {Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.APPROVED: {Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.RESERVE: {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.REFUSED: set(),
        Status.SELECTED: set(),
        Status.NOT_SELECTED: set(),
        Status.WITHDRAWN: set(),
    }
    OUTCOMES = (Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED)
    # A nomination still in the running: it blocks a second one of the same officer to the position.
    LIVE = frozenset({Status.AWAITING_RELEASE, Status.RELEASED, Status.APPROVED, Status.RESERVE, Status.SELECTED})

    call_position = models.ForeignKey(CallPosition, on_delete=models.PROTECT, related_name="nominations",
                                      verbose_name=_("position in a call"))
    officer = models.ForeignKey("roster.Officer", on_delete=models.PROTECT, related_name="nominations",
                                verbose_name=_("officer"))
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    nominated_at = models.DateTimeField()
    motivation = models.TextField(_("motivation"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_RELEASE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    status_reason = models.TextField(blank=True)
    # The release step: when the line manager (or a national coordinator without release) decided.
    release_decided_at = models.DateTimeField(null=True, blank=True)
    release_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    feedback = models.TextField(_("feedback to the nominee"), blank=True, max_length=4000)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations",
                             verbose_name=_("team"))
    secondment = models.OneToOneField("secondments.Secondment", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="nomination")

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["call_position_id", "officer__last_name", "officer__first_name", "id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.officer} → {self.call_position}"

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def release_days(self) -> int | None:
        """How long the release step took (days), or has taken so far while awaited."""
        if self.status == self.Status.AWAITING_RELEASE:
            from django.utils import timezone

            return (timezone.now() - self.nominated_at).days
        if self.release_decided_at is None:
            return None
        return (self.release_decided_at - self.nominated_at).days

    @property
    def has_outcome(self) -> bool:
        return self.status in self.OUTCOMES


# --- Selection on the record: panel scores, decisions, assignment runs ---------------------------

class PanelScoreQuerySet(models.QuerySet):
    def for_call(self, call):
        return self.filter(nomination__call_position__call=call)


class PanelScore(models.Model):
    """One panel member's score of one nominee (a nomination: an officer for a position of the call),
    given independently: a member sees the others' scores on a nominee only once they have submitted
    their own. Submitted once, final (access.py, services.submit_panel_score)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="panel_scores",
                                   verbose_name=_("nomination"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("panel member"))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField()

    objects = PanelScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        ordering = ["nomination_id", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="panel_score_once_per_member"),
            models.CheckConstraint(condition=Q(score__lte=100), name="panel_score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.score} ({self.nomination_id})"


class AssignmentRun(models.Model):
    """One run of the optimal assignment of a call's nominees to its posts, stored as it was shown
    (who, when, the parameters and the result beside the greedy baseline) so that a decision can be
    compared with it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs", verbose_name=_("call"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    parameters = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=20)
    total_score = models.FloatField(null=True)
    result = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.call.reference} #{self.pk}"

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "feasible")

    def assigned_nominations(self) -> set[int]:
        """The nominations the run assigns to a post."""
        return {pair["nomination"] for pair in self.result.get("optimal", {}).get("pairs", [])}


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(nomination__in=Nomination.objects.visible_to(user))

    def with_related(self):
        return self.select_related("nomination__officer__pool", "nomination__call_position__call",
                                   "nomination__call_position__position__mission", "proposed_by", "decided_by",
                                   "assignment_run")


class Decision(models.Model):
    """The outcome for a nominee on the record: proposed by one coordinator, approved by another
    (never the person who nominated the candidate or proposed the decision), with a written
    justification when it departs from the ranked order or the optimal assignment."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Departure(models.TextChoices):
        RANKING = "ranking", _("Departs from the ranked order")
        ASSIGNMENT = "assignment", _("Departs from the optimal assignment")

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="decisions",
                                   verbose_name=_("nomination"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=[(s.value, s.label) for s in Nomination.OUTCOMES])
    feedback = models.TextField(_("feedback to the nominee"), max_length=4000)
    start_date = models.DateField(_("secondment start"), null=True, blank=True)
    end_date = models.DateField(_("secondment end"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True, max_length=4000)
    departures = models.JSONField(default=list, blank=True)
    assignment_run = models.ForeignKey(AssignmentRun, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="decisions", verbose_name=_("assignment run compared"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=1000)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-proposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["nomination"], condition=Q(status="proposed"),
                                               name="decision_one_proposed_per_nomination")]

    def __str__(self):
        return f"{self.get_outcome_display()} – {self.nomination_id}"

    def departure_labels(self) -> list[str]:
        return [str(self.Departure(d).label) for d in self.departures if d in self.Departure.values]


class EligibilityRuleSetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rule sets are no personal data: every staff role of the selection sees them (access.py)."""
        return self if access.can_see_rule_sets(user) else self.none()

    def current(self) -> dict[str, "EligibilityRuleSet"]:
        """{organisation: its latest version} (one query)."""
        latest = {}
        for rule_set in self.order_by("organisation", "-version"):
            latest.setdefault(rule_set.organisation, rule_set)
        return latest


class EligibilityRuleSet(models.Model):
    """One version of an organisation's eligibility rules, as data (docs/selection.md "Rule sets as
    data"). Versions are never changed: each save through `services.save_rule_set` adds the next
    one, and the latest applies; the shipped examples are version 1 (migration 0005)."""

    organisation = models.CharField(_("organisation"), max_length=12,
                                    choices=[(o.value, o.label) for o in CALL_ORGANISATIONS])
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("rules"))
    note = models.CharField(_("note"), max_length=300, blank=True, validators=[no_markup],
                            help_text=_("What changed and why."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EligibilityRuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility rule set")
        verbose_name_plural = _("eligibility rule sets")
        ordering = ["organisation", "-version"]
        constraints = [models.UniqueConstraint(fields=["organisation", "version"],
                                               name="rule_set_unique_version_per_organisation")]

    def __str__(self):
        return f"{self.get_organisation_display()} v{self.version}"

    @property
    def name(self) -> str:
        return str(self.data.get("name", "")) if isinstance(self.data, dict) else ""


class CallCriteria(models.Model):
    """A call's ranking criteria: the score weights (engine weights, docs/selection.md "Scoring") and
    the deployment date eligibility is checked on. Set by the call's coordinator, locked before the
    national pre-deadline: by the "lock criteria" action, and in any case from the pre-deadline day
    on (`is_locked`); after that every change is refused (criteria before candidates)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    weights = models.JSONField(_("weights"))
    deployment_date = models.DateField(_("planned deployment date"), null=True, blank=True,
                                       help_text=_("Empty: the organisation's deadline plus 60 days."))
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("ranking criteria of a call")
        verbose_name_plural = _("ranking criteria of calls")

    def __str__(self):
        return f"{self.call.reference}: criteria"

    # Without a planned deployment date, eligibility is checked on the organisation's deadline plus this.
    DEFAULT_DEPLOYMENT_DELAY = dt.timedelta(days=60)

    def is_locked(self, today: dt.date | None = None) -> bool:
        """Locked by the action, or because the national pre-deadline has come."""
        return self.locked_at is not None or (today or dt.date.today()) >= self.call.national_deadline

    def lock_reason(self, today: dt.date | None = None) -> str:
        if self.locked_at is not None:
            return "locked"
        return "deadline" if self.is_locked(today) else ""

    @property
    def effective_deployment_date(self) -> dt.date:
        return self.deployment_date or self.call.organisation_deadline + self.DEFAULT_DEPLOYMENT_DELAY


def criteria_of(call) -> CallCriteria:
    """The call's criteria, or (not yet set) the default weights, unsaved."""
    try:
        return call.criteria
    except CallCriteria.DoesNotExist:
        from .engine import default_weights

        return CallCriteria(call=call, weights=dict(default_weights().data))


# --- Strategic positions: relevance to national priorities (docs/selection.md, "Strategic positions") --

def _unit(value):
    if value is not None and not 0 <= value <= 1:
        raise ValidationError(_("An assessment is a number from 0 to 1."))


class RelevanceWeightsQuerySet(models.QuerySet):
    def in_force(self):
        """The weights in force: the newest row (None: the defaults of `relevance.DEFAULT_WEIGHTS`)."""
        return self.order_by("-set_at", "-id").first()


class RelevanceWeights(models.Model):
    """The weights of the parts of a position's relevance, set by a national policy officer. Every
    change is a new row (the history stays); the newest is in force. `weights`: {part: 0–1000}."""

    weights = models.JSONField()
    reason = models.TextField(_("reason"), max_length=2000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField()

    objects = RelevanceWeightsQuerySet.as_manager()

    class Meta:
        verbose_name = _("relevance weights")
        verbose_name_plural = _("relevance weights")
        ordering = ["-set_at", "-id"]

    def __str__(self):
        return f"Relevance weights of {self.set_at:%Y-%m-%d %H:%M}"


class PositionAssessment(models.Model):
    """A policy officer's assessment of a position, each from 0 (not at all) to 1 (fully): how far it
    serves the country's international commitments, its national interests, and the mission's own
    interests (what the mission needs this post for). Empty: not assessed (the part counts as neutral)."""

    position = models.OneToOneField("missions.Position", on_delete=models.CASCADE, related_name="assessment",
                                    verbose_name=_("position"))
    international_commitments = models.FloatField(_("international commitments"), null=True, blank=True,
                                                  validators=[_unit])
    national_interests = models.FloatField(_("national interests"), null=True, blank=True, validators=[_unit])
    mission_interests = models.FloatField(_("the mission's interests"), null=True, blank=True, validators=[_unit])
    note = models.TextField(_("note"), blank=True, max_length=2000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("strategic assessment of a position")
        verbose_name_plural = _("strategic assessments of positions")

    def __str__(self):
        return f"Assessment of position {self.position_id}"
