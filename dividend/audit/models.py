"""The audit log: append-only and hash-chained.

Each entry's hash covers its content and the previous entry's hash, so an altered, deleted or
inserted row breaks the chain from that point on (`manage.py verify_audit`).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models

from dividend.pools import access


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.can_read_audit_log(user):
            return self
        return self.none()

    def matching(self, *, actor="", action="", object_type="", object_id="", channel="", since=None,
                 until=None):
        """The auditors' filters: actor, action, object type and id, channel, date range (inclusive)."""
        filters = {"actor_label__iexact": actor.strip(), "action": action, "object_type": object_type.strip(),
                   "object_id": object_id.strip(), "channel": channel, "timestamp__date__gte": since,
                   "timestamp__date__lte": until}
        return self.filter(**{lookup: value for lookup, value in filters.items() if value})

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"
        READ = "read", "Read"
        EXPORT = "export", "Export"
        IMPORT = "import", "Import"
        STATUS = "status", "Status change"

    class Channel(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        CLI = "cli", "Command line"
        SYSTEM = "system", "System"

    timestamp = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_constraint=False)
    actor_label = models.CharField(max_length=150, help_text="Username at the time (kept if the user goes).")
    action = models.CharField(max_length=10, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text="Names of the fields read or changed.")
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

    def canonical_content(self) -> str:
        """The entry as hashed: every field but the hashes, in a fixed order and format."""
        return json.dumps(
            {
                "timestamp": self.timestamp.isoformat(timespec="microseconds"),
                "actor": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "fields": self.fields,
                "detail": self.detail,
                "channel": self.channel,
                "ip_address": self.ip_address,
                "path": self.path,
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        # Keyed (HMAC) so that someone with database access cannot rewrite the tail of the chain.
        message = (self.previous_hash + self.canonical_content()).encode()
        return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    return (getattr(settings, "DIVIDEND_AUDIT_KEY", "") or settings.SECRET_KEY).encode()
