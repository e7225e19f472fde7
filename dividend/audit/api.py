import datetime as dt

from ninja import Router, Schema

from dividend.common.api import Page, paginate

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
    """Audit entries, newest first (auditors and administrators; others get an empty list)."""
    entries = filter_entries(AuditEntry.objects.visible_to(request.user), {
        "actor": actor, "action": action, "object_type": object_type, "object_id": object_id,
        "channel": channel, "since": since, "until": until}).order_by("-id")
    count, items = paginate(entries, limit=limit, offset=offset)
    return {"count": count, "limit": limit, "offset": offset, "items": items}
