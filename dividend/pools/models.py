"""Pools (organisations that second officers) and the people who work with Dividend, with their role."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from dividend.common.validators import no_markup


class PoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National users see every pool; others the pools they work for (a secondee: their own)."""
        from . import access

        if user is None or not user.is_authenticated:
            return self.none()
        if access.is_national(user):
            return self
        if access.role_of(user) == Role.SECONDEE:
            return self.filter(officers__user=user)
        return self.filter(id__in=access.pool_ids(user))


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
    headcount = models.PositiveIntegerField(help_text="Officers in the service (for secondment targets).")

    objects = PoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    PANEL_MEMBER = "panel_member", "Selection panel member"
    ANALYST = "analyst", "Analyst"
    SECONDEE = "secondee", "Secondee"
    HR_MANAGER = "hr_manager", "HR / line manager"
    POLICY_OFFICER = "policy_officer", "Policy officer"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"


class Profile(models.Model):
    """What a user does in Dividend: one role, at national level or for some pools."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices)
    national = models.BooleanField(default=False, help_text="Works at national level: sees every pool.")
    pools = models.ManyToManyField(Pool, blank=True, related_name="staff")

    def __str__(self):
        scope = "national" if self.national else ", ".join(p.code for p in self.pools.all())
        return f"{self.user} ({self.get_role_display()}, {scope})"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, validators=[no_markup])
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token and return it with the clear key, which is shown once and never stored."""
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key)), key
