"""The audit log: append-only, hash-chained and anchored.

Each entry's hash covers its content and the previous entry's hash, so an altered, deleted,
inserted or reordered row breaks the chain from that point on. The chain head (one row, signed
with the audit key, moved in the same transaction as every append) names the last entry, so
deleting the newest entries or emptying the table is caught too (`manage.py verify_audit`).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from dividend.pools.models import object_type_label

from .access import can_read_audit_log

# Field names that stand for restricted (need-to-know) personal data in entries' `fields`. The apps
# holding such data sit above this one and register their names from their ready().
_RESTRICTED_FIELD_NAMES: set[str] = set()


def register_restricted_fields(*names: str) -> None:
    _RESTRICTED_FIELD_NAMES.update(names)


def restricted_field_names() -> frozenset[str]:
    return frozenset(_RESTRICTED_FIELD_NAMES)


class AuditLogIsAppendOnly(Exception):
    pass


class UnknownAuditAction(ValueError):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if can_read_audit_log(user):
            return self
        return self.none()

    def matching(self, *, actor="", action="", object_type="", object_id="", channel="", since=None,
                 until=None):
        """The auditors' filters: actor, action, object type and id, channel, date range (inclusive)."""
        filters = {"actor_label__iexact": actor.strip(), "action": action, "object_type": object_type.strip(),
                   "object_id": object_id.strip(), "channel": channel, "timestamp__date__gte": since,
                   "timestamp__date__lte": until}
        return self.filter(**{lookup: value for lookup, value in filters.items() if value})

    def restricted_reads(self):
        """Reads whose fields name restricted data (registered with register_restricted_fields).

        The fields are matched in the column's JSON text (a quoted name), which both engines can
        search; SQLite has no JSON containment lookup."""
        condition = Q()
        for name in sorted(_RESTRICTED_FIELD_NAMES):
            condition |= Q(fields_text__contains=json.dumps(name))
        if not condition:
            return self.none()
        return self.filter(action=AuditEntry.Action.READ).alias(
            fields_text=Cast("fields", models.TextField())).filter(condition)

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted (retention: audit.services.purge_entries_before).")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        """The closed vocabulary of audit actions; `record()` refuses any other word.

        The column has no database choices on purpose: adding a word is a code change here, not a
        migration in every helper's branch.
        """

        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        READ = "read", _("Read")
        LIST = "list", _("List or search results")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        STATUS = "status", _("Status change")
        SUBMIT = "submit", _("Submit for confirmation")
        DECIDE = "decide", _("Confirm or reject")
        GRANT = "grant", _("Grant a role")
        WITHDRAW = "withdraw", _("Withdraw a role")
        PURGE = "purge", _("Purge old audit entries")
        LOGIN = "login", _("Log in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKOUT = "lockout", _("Login locked out")
        UNLOCK = "unlock", _("Login lockout lifted")
        LOGOUT_ALL = "logout_all", _("Log out everywhere")
        PASSWORD = "password", _("Password change")
        OTP_ENROL = "otp_enrol", _("Second factor enrolled")
        OTP_FAILURE = "otp_failure", _("Second factor refused")
        OTP_RESET = "otp_reset", _("Second factor reset")
        ISSUE = "issue", _("Issue an API token")
        REVOKE = "revoke", _("Revoke an API token")
        ADOPT = "adopt", _("Adopt a reference ranking")
        RECOMPUTE = "recompute", _("Recompute derived figures on purpose")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        CLI = "cli", _("Command line")
        SYSTEM = "system", _("System")

    timestamp = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_constraint=False)
    actor_label = models.CharField(max_length=150, help_text=_("Username at the time (kept if the user goes)."))
    action = models.CharField(max_length=20, db_index=True)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text=_("Names of the fields read or changed."))
    detail = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    ip_address = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")

    @property
    def action_label(self) -> str:
        try:
            return self.Action(self.action).label
        except ValueError:  # only a tampered row holds another word; verification reports it
            return self.action

    @property
    def object_label(self) -> str:
        """The kind of record in words ("Officer"), not its model label."""
        return object_type_label(self.object_type)

    @property
    def fields_text(self) -> str:
        """The fields read or changed, as words ("emergency contact name")."""
        return ", ".join(str(name).replace("_", " ") for name in self.fields or [])

    @property
    def detail_text(self) -> str:
        return json.dumps(self.detail, indent=1, sort_keys=True, ensure_ascii=False)

    def canonical_content(self) -> str:
        return canonical_content(
            self.timestamp.isoformat(timespec="microseconds"), self.actor_id, self.actor_label, self.action,
            self.object_type, self.object_id, self.object_repr, self.fields, self.detail, self.channel,
            self.ip_address, self.path)

    def compute_hash(self) -> str:
        return chain_hash(self.previous_hash, self.canonical_content(), audit_key())


CONTENT_COLUMNS = ("timestamp", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr",
                   "fields", "detail", "channel", "ip_address", "path")


def canonical_content(timestamp: str, actor_id, actor_label, action, object_type, object_id, object_repr, fields,
                      detail, channel, ip_address, path) -> str:
    """The entry as hashed: every field but the hashes, in a fixed order and format."""
    return json.dumps(
        {"timestamp": timestamp, "actor": actor_id, "actor_label": actor_label, "action": action,
         "object_type": object_type, "object_id": object_id, "object_repr": object_repr, "fields": fields,
         "detail": detail, "channel": channel, "ip_address": ip_address, "path": path},
        sort_keys=True, separators=(",", ":"), default=str)


def chain_hash(previous_hash: str, content: str, key: bytes) -> str:
    # Keyed (HMAC) so that someone with database access cannot rewrite the tail of the chain.
    return hmac.new(key, (previous_hash + content).encode(), hashlib.sha256).hexdigest()


MIN_AUDIT_KEY_LENGTH = 32


def audit_key_problem() -> str:
    """Why the configured audit key may not be used ("" if it may): it is missing, or, in production
    (DIVIDEND_ENV=production), the development key, SECRET_KEY itself, or too short to be secret."""
    key = getattr(settings, "DIVIDEND_AUDIT_KEY", "")
    if not key:
        return "DIVIDEND_AUDIT_KEY is not set: the audit log needs a key of its own (see docs/operations.md)."
    if not getattr(settings, "PRODUCTION", False):
        return ""
    if key == getattr(settings, "DIVIDEND_DEVELOPMENT_AUDIT_KEY", None):
        return "DIVIDEND_AUDIT_KEY is the development key, which is refused in production."
    if key == settings.SECRET_KEY:
        return "DIVIDEND_AUDIT_KEY must differ from DIVIDEND_SECRET_KEY."
    if len(key) < MIN_AUDIT_KEY_LENGTH:
        return f"DIVIDEND_AUDIT_KEY must be at least {MIN_AUDIT_KEY_LENGTH} characters long."
    return ""


def audit_key() -> bytes:
    """The key of the chain's HMAC; refuses to hand out a key the system check would refuse, so that
    no entry is ever chained with a development key in production."""
    problem = audit_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    return settings.DIVIDEND_AUDIT_KEY.encode()


def sign(*parts) -> str:
    return hmac.new(audit_key(), "|".join(str(p) for p in parts).encode(), hashlib.sha256).hexdigest()


class ChainHead(models.Model):
    """Where the chain starts and ends, signed with the audit key; one row (pk 1).

    Moved in the same transaction as every append, so deleting the newest entries leaves a head
    that points past the table's end. `base_*` is where verification starts: the genesis, or the
    last entry a retention purge removed. `restarted_after_id` is set when an append found the
    head missing while entries existed: whatever followed that entry before may have been deleted.
    """

    base_after_id = models.BigIntegerField(default=0, help_text=_("Entries up to this id were purged (0: none)."))
    base_hash = models.CharField(max_length=64)
    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    restarted_after_id = models.BigIntegerField(null=True, blank=True)
    signature = models.CharField(max_length=64)

    def __str__(self):
        return f"chain head: entries {self.base_after_id + 1}–{self.last_entry_id}"

    def compute_signature(self) -> str:
        return sign("chain-head", self.base_after_id, self.base_hash, self.last_entry_id, self.last_hash,
                    self.restarted_after_id)


class RetentionPermit(models.Model):
    """While a row exists (inside the purge's own transaction), the database lets entries be deleted.

    Only `audit.services.purge_entries_before` writes it, and removes it before committing.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)

    def __str__(self):
        return f"retention permit: {self.reason}"


class ChainVerification(models.Model):
    """The result of one full verification run, shown on the auditor's page (signed, so a forged
    "intact" row is shown as forged)."""

    checked_at = models.DateTimeField()
    checked_by = models.CharField(max_length=150, help_text=_("User name or 'verify_audit'."))
    entries = models.PositiveIntegerField()
    last_entry_id = models.BigIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    seconds = models.FloatField()
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"verification of {self.checked_at:%Y-%m-%d %H:%M}: {len(self.problems)} problem(s)"

    def compute_signature(self) -> str:
        return sign("verification", self.checked_at.isoformat(timespec="microseconds"), self.checked_by,
                    self.entries, self.last_entry_id, json.dumps(self.problems, sort_keys=True))

    @property
    def signature_valid(self) -> bool:
        return hmac.compare_digest(self.signature, self.compute_signature())
