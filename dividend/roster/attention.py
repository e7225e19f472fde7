"""What needs a user's attention in the roster today, for the start page.

Each item is counted from the same `visible_to` queryset as the list it links to (the pending list,
the expiring list, the roster search), so a count never tells more than that list shows its reader.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Officer, Qualification

EXPIRY_HORIZON_DAYS = 90  # a qualification expiring within this many days needs renewing now
NEWLY_AVAILABLE_DAYS = 30  # an officer whose availability began this recently is "newly available"
PREVIEW_SIZE = 5  # items of a list shown on the start page itself


def pending_qualifications(user):
    """Qualifications waiting for a coordinator's confirmation, as the pending list shows them."""
    return Qualification.objects.visible_to(user).pending()


def expiring_qualifications(user, *, today: dt.date, days: int = EXPIRY_HORIZON_DAYS):
    """Confirmed qualifications expiring from today to `days` days ahead, as the expiring list shows them."""
    return Qualification.objects.visible_to(user).expiring_between(today, today + dt.timedelta(days=days))


def newly_available_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=NEWLY_AVAILABLE_DAYS)


def newly_available_officers(user, *, today: dt.date):
    """Officers whose availability began in the last NEWLY_AVAILABLE_DAYS days (the roster search's
    `available_since` filter)."""
    return Officer.objects.visible_to(user).newly_available(since=newly_available_since(today), today=today)


@dataclass
class CoordinatorItems:
    pending: list  # the first PREVIEW_SIZE, oldest first
    pending_count: int
    expiring_count: int
    newly_available_count: int
    available_since: dt.date
    expiry_days: int = EXPIRY_HORIZON_DAYS


def coordinator_items(user, *, today: dt.date) -> CoordinatorItems:
    """Qualifications to confirm (with the first few, to confirm in place), those expiring soon, and
    officers newly available: four queries whatever the roster's size."""
    pending = pending_qualifications(user)
    return CoordinatorItems(
        pending=list(pending.select_related("officer", "officer__pool", "qualification_type")
                     .order_by("id")[:PREVIEW_SIZE]),
        pending_count=pending.count(),
        expiring_count=expiring_qualifications(user, today=today).count(),
        newly_available_count=newly_available_officers(user, today=today).count(),
        available_since=newly_available_since(today),
    )


@dataclass
class ExpiryLine:
    qualification: Qualification
    expired: bool


@dataclass
class ProfileStatus:
    officer: Officer
    missing: list[str] = field(default_factory=list)  # what the secondee could still fill in
    filled: int = 0
    total: int = 0
    expiring: list[ExpiryLine] = field(default_factory=list)
    pending_count: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 100


# What a complete own profile has: the fields a secondee keeps themself, and their languages.
PROFILE_FIELDS = {
    "email": _("Email address"),
    "phone": _("Phone number"),
    "emergency_contact_name": _("Emergency contact"),
    "emergency_contact_phone": _("Emergency contact's phone number"),
    "available_from": _("Available from"),
    "max_duration_months": _("Longest deployment you would accept (months)"),
}
LANGUAGES_LABEL = _("Languages")


def own_profile_status(user, *, today: dt.date) -> ProfileStatus | None:
    """The secondee's own record: what is missing, and which confirmed qualifications have expired
    or expire within EXPIRY_HORIZON_DAYS. None without an officer record. Three queries."""
    officer = Officer.objects.filter(user=user).select_related("pool").first() if user.is_authenticated else None
    if officer is None:
        return None
    status = ProfileStatus(officer=officer, total=len(PROFILE_FIELDS) + 1)
    for name, label in PROFILE_FIELDS.items():
        if getattr(officer, name) in (None, ""):
            status.missing.append(str(label))
    if not officer.languages.exists():
        status.missing.append(str(LANGUAGES_LABEL))
    status.filled = status.total - len(status.missing)
    horizon = today + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
    for qualification in officer.qualifications.select_related("qualification_type").order_by("expires_on", "id"):
        if qualification.status == Qualification.Status.PENDING:
            status.pending_count += 1
        elif (qualification.status == Qualification.Status.CONFIRMED and qualification.expires_on
              and qualification.expires_on <= horizon):
            status.expiring.append(ExpiryLine(qualification, expired=qualification.expires_on < today))
    return status
