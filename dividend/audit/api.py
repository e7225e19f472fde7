import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from dividend.common.api import Page, paginate

from .access import can_read_audit_log
from .models import AuditEntry
from .views import filter_entries

router = Router(tags=["audit"])


class EntryOut(Schema):
    id: int
    timestamp: dt.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    fields: list
    channel: str
    ip_address: str
    path: str
    entry_hash: str


class EntryPage(Page):
    items: list[EntryOut]


@router.get("", response=EntryPage)
def list_entries(request, actor: str = "", action: str = "", object_type: str = "", object_id: str = "",
                 channel: str = "", since: str = "", until: str = "", limit: int = 100, offset: int = 0):
    """Audit entries, newest first: auditors and administrators, as the audit page (others: 403)."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied("Only auditors and administrators read the audit log.")
    entries = filter_entries(AuditEntry.objects.visible_to(request.user), {
        "actor": actor, "action": action, "object_type": object_type, "object_id": object_id,
        "channel": channel, "since": since, "until": until}).order_by("-id")
    count, items = paginate(entries, limit=limit, offset=offset)
    return {"count": count, "limit": limit, "offset": offset, "items": items}
