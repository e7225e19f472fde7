"""The base library's part of the subject access report (see roster.subject_access): the API writes
whose answers are kept for retries under the person's Idempotency-Keys (for DIVIDEND_IDEMPOTENCY_HOURS).
The stored answers themselves are not shown: they may name other officers."""

from django.utils.translation import gettext_lazy as _

from dividend.common.models import IdempotencyRecord
from dividend.roster.subject_access import Section, register_subject_data


def idempotency_sections(officer) -> list[Section]:
    if officer.user_id is None:
        return []
    records = IdempotencyRecord.objects.filter(user_id=officer.user_id).order_by("created_at")
    return [Section(_("API writes kept for retries"), [_("sent at"), _("request"), _("answer status"), _("kept until")], [
        [r.created_at, f"{r.method} {r.path}", r.status, r.expires_at] for r in records])]


register_subject_data("idempotency", idempotency_sections, covers=["common.idempotencyrecord.user"])
