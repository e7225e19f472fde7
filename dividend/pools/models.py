"""Pools (organisations that second officers) and the people who work with Dividend: their role
assignments, each with a scope, and their API tokens.

The roles live here, at the bottom of the apps, because every app's permission predicates read
them. Granting and withdrawing them writes the audit log, so those workflows live above `audit`,
in `dividend.roles.services`.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dividend.common.validators import no_markup


class PoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Superusers and anyone with a national role see every pool; others the pools their roles
        are scoped to (a secondee's: their own pool)."""
        if user is None or not user.is_authenticated:
            return self.none()
        held = assignments_of(user)
        if user.is_superuser or any(a.scope == Scope.NATIONAL for a in held):
            return self
        return self.filter(id__in={pool_id for a in held for pool_id in a.pool_ids})


class Pool(models.Model):
    """An organisation that seconds officers: federal police, a state police, gendarmerie, customs.

    Pools sit below the national level; national-level users see every pool.
    """

    KIND_CHOICES = [
        ("federal_police", "Federal / national police"),
        ("state_police", "State / regional police"),
        ("gendarmerie", "Gendarmerie"),
        ("customs", "Customs"),
        ("border_guard", "Border guard"),
        ("other", "Other"),
    ]

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150, validators=[no_markup])
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    headcount = models.PositiveIntegerField(help_text=_("Officers in the service (for secondment targets)."))

    objects = PoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PANEL_MEMBER = "panel_member", _("Selection panel member")
    ANALYST = "analyst", _("Analyst")
    SECONDEE = "secondee", _("Secondee")
    HR_MANAGER = "hr_manager", _("HR / line manager")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")
    # Reads the consolidated figures (targets, budget, dashboards, the report to parliament), never
    # personal data: a ministry's liaison to the national coordination forum.
    MINISTRY_LIAISON = "ministry_liaison", _("Ministry liaison")


class Scope(models.TextChoices):
    NATIONAL = "national", _("National (every pool)")
    POOLS = "pools", _("Some pools")
    OBJECT = "object", _("One object (a call's selection panel, a report's audience)")


# Which scopes each role may have. Secondees act for their own record, inside their pool;
# administrators and auditors look after the whole installation.
SCOPES_BY_ROLE = {
    Role.COORDINATOR: {Scope.NATIONAL, Scope.POOLS},
    Role.PANEL_MEMBER: {Scope.NATIONAL, Scope.POOLS, Scope.OBJECT},
    Role.ANALYST: {Scope.NATIONAL, Scope.POOLS, Scope.OBJECT},
    Role.SECONDEE: {Scope.POOLS},
    Role.HR_MANAGER: {Scope.NATIONAL, Scope.POOLS},
    Role.POLICY_OFFICER: {Scope.NATIONAL, Scope.POOLS, Scope.OBJECT},
    Role.ADMINISTRATOR: {Scope.NATIONAL},
    Role.AUDITOR: {Scope.NATIONAL},
    Role.MINISTRY_LIAISON: {Scope.NATIONAL},
}

# Objects a role can be scoped to, registered by the app that owns them (from its AppConfig.ready):
# e.g. the selection app registers "selection.call" for panel members. Keyed by "app_label.model".
OBJECT_SCOPES: dict[str, set[str]] = {}


def register_object_scope(object_type: str, *, roles) -> None:
    """Let `roles` be granted on single objects of `object_type` ("app_label.model")."""
    OBJECT_SCOPES.setdefault(object_type, set()).update(roles)


def object_type_label(object_type: str) -> str:
    """"roster.officer" → "Officer": a model's own name for an "app_label.model" string, which
    is how scopes and the audit log name kinds of objects (the string itself if no model has it)."""
    from django.apps import apps

    try:
        return str(capfirst(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


class RoleAssignmentQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user).prefetch_related("pools")


class RoleAssignment(models.Model):
    """One role a user holds, with its scope: national, some pools, or one object of a later app.

    Created and deleted only by `dividend.roles.services.grant_role` / `withdraw_role` (audited);
    a change is read again on the user's next request, web session or API token alike.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    pools = models.ManyToManyField(Pool, blank=True, related_name="role_assignments")
    object_type = models.CharField(max_length=60, blank=True, help_text=_("For an object scope: app_label.model."))
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.user} – {self.describe()}"

    def describe(self) -> str:
        """"Coordinator for Federal Police", "Auditor, national": the role and whom it acts for, in
        words, for the header, the admin and the audit log."""
        return describe_role(self.role, self.scope, [p.name for p in self.pools.all()], self.object_type,
                             self.object_id)


def describe_role(role: str, scope: str, pool_names, object_type: str, object_id) -> str:
    """The words of `RoleAssignment.describe` from plain values (also for `assignments_of`)."""
    label = Role(role).label if role in Role.values else role
    if scope == Scope.NATIONAL:
        return _("%(role)s, national") % {"role": label}
    if scope == Scope.POOLS:
        where = ", ".join(sorted(pool_names))
    else:
        where = f"{object_type_label(object_type)} {object_id}"
    return _("%(role)s for %(where)s") % {"role": label, "where": where}


@dataclass(frozen=True)
class Held:
    """A role assignment as the predicates read it (plain values, read once per request)."""

    role: str
    scope: str
    pool_ids: frozenset[int]
    object_type: str
    object_id: int | None
    label: str


def assignments_of(user) -> tuple[Held, ...]:
    """The user's role assignments, read once per request.

    Cached on the user object, which the session and token authentication load afresh on each
    request: a role granted or withdrawn applies from the user's next request on.
    """
    if user is None or not user.is_authenticated:
        return ()
    cached = user.__dict__.get("_dividend_roles")
    if cached is None:
        # One query (assignments joined to their pools) instead of two with a prefetch: this runs on
        # every request, and the second query was about a tenth of a small API read's time.
        rows = RoleAssignment.objects.filter(user=user).order_by("role", "id").values_list(
            "id", "role", "scope", "object_type", "object_id", "pools__id", "pools__name")
        grouped: dict[int, list] = {}
        for pk, role, scope, object_type, object_id, pool_id, pool_name in rows:
            entry = grouped.setdefault(pk, [role, scope, object_type, object_id, {}])
            if pool_id is not None:
                entry[4][pool_id] = pool_name
        cached = tuple(
            Held(role=role, scope=scope, pool_ids=frozenset(pools), object_type=object_type, object_id=object_id,
                 label=describe_role(role, scope, pools.values(), object_type, object_id))
            for role, scope, object_type, object_id, pools in grouped.values())
        user.__dict__["_dividend_roles"] = cached
    return cached


def forget_roles(user) -> None:
    """Drop the per-request cache (after a grant or withdrawal in the same request)."""
    user.__dict__.pop("_dividend_roles", None)


class ApiGroup(models.TextChoices):
    """The API's endpoint groups a token can be limited to: one per router (dividend/api.py)."""

    OFFICERS = "officers", _("Officers (roster)")
    POOLS = "pools", _("Pools")
    MISSIONS = "missions", _("Missions and positions")
    SECONDMENTS = "secondments", _("Secondments")
    AUDIT = "audit", _("Audit log")
    PRIORITIES = "priorities", _("Country priorities")
    SELECTION = "selection", _("Calls and nominations")
    REPORTS = "reports", _("Field reports")
    PREPARATION = "preparation", _("Pre-deployment preparation and backfill")
    ALERTS = "alerts", _("Rapid deployment alerts")
    CAREERS = "careers", _("Careers and reintegration")
    CARE = "care", _("Duty of care")
    TARGETS = "targets", _("Targets and monthly snapshots")
    PERFORMANCE = "performance", _("Mission performance")
    ACCOUNTABILITY = "accountability", _("Dashboards, the report to parliament and the scorecard")
    COMMITMENTS = "commitments", _("Commitments, coordination and budget")


# Methods that change nothing: all a read-only token may use.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def default_token_expiry():
    return timezone.now() + dt.timedelta(days=settings.DIVIDEND_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own tokens: nobody else lists them on the tokens page or revokes them there."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def live(self, now=None):
        """Neither revoked nor expired."""
        return self.filter(revoked_at=None, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 of the key is stored.

    Every token expires (`expires_at`), is read-only or read-write (`access`) and may be limited to
    some endpoint groups (`groups`, empty: all). It is revoked, never deleted, so that its owner
    sees when and why: by the owner, or on the owner's password change, role change or
    deactivation (`dividend.pools.services`).
    """

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, validators=[no_markup])
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_token_expiry)
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.READ)
    groups = models.JSONField(default=list, blank=True, help_text=_("Endpoint groups (ApiGroup); empty: every group."))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str, access: str = Access.READ, groups=(), days: int | None = None
              ) -> tuple["ApiToken", str]:
        """Create a token and return it with the clear key, which is shown once and never stored.
        The bare model operation: `dividend.pools.services.issue_token` validates and audits."""
        key = secrets.token_urlsafe(32)
        expires_at = timezone.now() + dt.timedelta(days=days or settings.DIVIDEND_API_TOKEN_DAYS)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), access=access,
                                   groups=sorted(groups), expires_at=expires_at)
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"

    # "Last used" is shown to the minute; writing it on every request cost a write transaction per
    # API read (a third of the load test's requests) and queued concurrent writes on the token's row.
    LAST_USED_GRANULARITY = dt.timedelta(minutes=1)

    def mark_used(self, now=None) -> None:
        """Record that the token authenticated a request: at most once per LAST_USED_GRANULARITY."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.LAST_USED_GRANULARITY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def group_labels(self) -> list[str]:
        return [ApiGroup(g).label for g in self.groups if g in ApiGroup.values] or ["every group"]

    def refusal(self, *, method: str, group: str) -> tuple[int, str] | None:
        """Why this token may not make this request, as (status, sentence); None if it may.
        401 for a token that no longer authenticates, 403 for one outside its scope."""
        if self.revoked_at is not None:
            return 401, f"This API token was revoked ({self.revoked_reason or 'revoked'})."
        if self.is_expired:
            return 401, f"This API token expired on {self.expires_at:%Y-%m-%d %H:%M} UTC."
        if not self.user.is_active:
            return 401, "This API token's user is deactivated."
        if self.groups and group not in self.groups:
            where = f"the {ApiGroup(group).label.lower()} endpoints" if group else "this endpoint"
            return 403, f"This API token is not valid for {where}."
        if self.access != self.Access.WRITE and method.upper() not in SAFE_METHODS:
            return 403, "This API token is read-only: it cannot change data."
        return None
