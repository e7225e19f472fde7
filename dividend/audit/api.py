import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema

from dividend.common.api import IsoDate, Limit, Offset, Page, QueryText, error_responses, paginate

from .access import can_read_audit_log
from .models import AuditEntry

router = Router(tags=["audit"])


class EntryOut(Schema):
    id: int
    timestamp: dt.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    fields: list[str]
    channel: str
    ip_address: str
    path: str
    entry_hash: str


class EntryPage(Page):
    items: list[EntryOut]


class EntryFilters(Schema):
    actor: QueryText = ""
    action: AuditEntry.Action | None = None
    object_type: QueryText = ""
    object_id: QueryText = ""
    channel: AuditEntry.Channel | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("", response={200: EntryPage, **error_responses(400, 401, 403)})
def list_entries(request, filters: Query[EntryFilters]):
    """Audit entries, newest first (auditors and administrators)."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied("Only auditors and administrators read the audit log.")
    entries = AuditEntry.objects.visible_to(request.user).matching(
        **filters.dict(exclude={"limit", "offset"}, exclude_none=True)).order_by("-id")
    count, items = paginate(entries, limit=filters.limit, offset=filters.offset)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}
