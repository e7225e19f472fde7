"""Who may do what with mission performance (issue 14 §7). Every view, API endpoint, export and
command of the performance app asks these predicates; the models' `visible_to` read them
(docs/data-protection.md, "who sees it").

- Indicators, their values, the border-management assessments and the progress against the
  baseline are mission facts, not personal data: policy officers, analysts, administrators,
  coordinators and the Ministry liaison (national: consolidated figures) read them.
- Policy officers, analysts and administrators record them (indicators, values, assessments).
- A secondee's contribution to an indicator names the officer: coordinators add and remove them for
  the secondments of their pool (a national coordinator: every pool's). Who reads a contribution's
  officer and description follows the roster (`Secondment.objects.visible_to`); everyone else who
  reads the page sees only how many there are.
"""

from dividend.pools.access import holds, holds_in_pool, is_superuser
from dividend.pools.models import Role

RECORDER_ROLES = (Role.POLICY_OFFICER, Role.ANALYST, Role.ADMINISTRATOR)
READER_ROLES = (*RECORDER_ROLES, Role.COORDINATOR, Role.MINISTRY_LIAISON)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_read_performance(user) -> bool:
    """The mission performance pages, the export and the API's reads."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *READER_ROLES))


def can_record_performance(user) -> bool:
    """Create and change indicators, enter their values, record border-management assessments."""
    return _signed_in(user) and (is_superuser(user) or holds(user, *RECORDER_ROLES))


def can_edit_indicator(user, indicator) -> bool:
    return can_record_performance(user)


def can_enter_value(user, indicator) -> bool:
    return can_record_performance(user)


def can_record_assessment(user, mission) -> bool:
    return can_record_performance(user)


def can_add_contributions(user) -> bool:
    """Offers the contribution form at all: a coordinator (of some pool or national)."""
    return _signed_in(user) and (is_superuser(user) or holds(user, Role.COORDINATOR))


def can_add_contribution(user, secondment) -> bool:
    """Link this secondment to an indicator: a coordinator of the officer's pool, or a national one."""
    return _signed_in(user) and (is_superuser(user)
                                 or holds_in_pool(user, secondment.officer.pool_id, Role.COORDINATOR))


def can_remove_contribution(user, contribution) -> bool:
    return can_add_contribution(user, contribution.secondment)
