"""Who may do what with calls for contributions and nominations. Every view, API endpoint and
command of the selection app asks these predicates; the models' `visible_to` read the same answers.

- Calls: national roles see every call; pool-scoped staff roles the calls sent to one of their
  pools; a secondee the calls sent to their pool once they are no longer drafts (to express
  interest); a panel member scoped to one call (a "selection.call" object scope) that call.
- Calls are created and moved on by coordinators: national ones, or those of a pool the call is
  sent to (a pool coordinator sends calls to their own pools only).
- Nominations: a coordinator of the officer's pool nominates; the officer expresses interest
  themself; an HR manager of the officer's pool releases or refuses; a national coordinator may
  approve without the release when `DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE` is on; a
  coordinator of the officer's pool records the outcome (and with it the planned secondment).
"""

from django.conf import settings

from dividend.pools.access import EVERY_POOL, holds, holds_in_pool, is_superuser, pools_where
from dividend.pools.models import Role, Scope, assignments_of
from dividend.roster.access import is_own_officer

CALL_OBJECT_TYPE = "selection.call"
# Roles granted on one call: its selection panel.
CALL_SCOPED_ROLES = (Role.PANEL_MEMBER,)
# Staff roles that work with calls in their pools (or nationally).
CALL_ROLES = (Role.COORDINATOR, Role.PANEL_MEMBER, Role.HR_MANAGER, Role.POLICY_OFFICER, Role.ADMINISTRATOR,
              Role.AUDITOR, Role.ANALYST)


def call_pools(user):
    """Pool ids whose calls the user sees as staff (EVERY_POOL: every call)."""
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *CALL_ROLES)


def secondee_pools(user) -> frozenset[int]:
    """Pools where the user is a secondee: they see the calls sent there (not drafts)."""
    pools = pools_where(user, Role.SECONDEE, national=False)
    return pools if pools is not EVERY_POOL else frozenset()


def panel_call_ids(user) -> frozenset[int]:
    """Calls the user sits on the panel of (a role scoped to that one call)."""
    return frozenset(a.object_id for a in assignments_of(user)
                     if a.scope == Scope.OBJECT and a.object_type == CALL_OBJECT_TYPE
                     and a.role in CALL_SCOPED_ROLES and a.object_id is not None)


def can_use_selection(user) -> bool:
    """The calls board: anyone who may see some call."""
    if user is None or not user.is_authenticated:
        return False
    pools = call_pools(user)
    return pools is EVERY_POOL or bool(pools) or bool(secondee_pools(user)) or bool(panel_call_ids(user))


def coordinator_pools(user):
    """Pools the user coordinates (EVERY_POOL: national coordinator or superuser)."""
    return EVERY_POOL if is_superuser(user) else pools_where(user, Role.COORDINATOR)


def can_create_calls(user) -> bool:
    return is_superuser(user) or holds(user, Role.COORDINATOR)


def can_manage_call(user, call) -> bool:
    """Edit a call, its positions and move its status: national coordinators, or a coordinator of a
    pool the call is sent to."""
    pools = coordinator_pools(user)
    if pools is EVERY_POOL:
        return True
    return bool(pools) and bool(pools & set(call.pool_ids()))


def can_nominate(user, officer) -> bool:
    """Put an officer forward: a coordinator of the officer's pool (or a national one)."""
    return is_superuser(user) or holds_in_pool(user, officer.pool_id, Role.COORDINATOR)


def can_express_interest(user, officer) -> bool:
    """Only the officer themself, from their own page."""
    return is_own_officer(user, officer)


def can_decide_release(user, nomination) -> bool:
    """Release or refuse: the line manager, an HR manager of the officer's pool (or a national one)."""
    return is_superuser(user) or holds_in_pool(user, nomination.officer.pool_id, Role.HR_MANAGER)


def approval_without_release_allowed() -> bool:
    """Whether national rules let a national coordinator approve without the line manager's release
    (settings.DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE)."""
    return bool(getattr(settings, "DIVIDEND_SELECTION_APPROVAL_WITHOUT_RELEASE", False))


def can_approve_without_release(user, nomination) -> bool:
    return approval_without_release_allowed() and (
        is_superuser(user) or pools_where(user, Role.COORDINATOR) is EVERY_POOL)


def can_decide_outcome(user, nomination) -> bool:
    """Selected, reserve or not selected (and the planned secondment): a coordinator of the officer's
    pool or a national one, who also records the officer's secondments."""
    return is_superuser(user) or holds_in_pool(user, nomination.officer.pool_id, Role.COORDINATOR)


def can_withdraw_nomination(user, nomination) -> bool:
    """The officer, or a coordinator of their pool."""
    return is_own_officer(user, nomination.officer) or can_nominate(user, nomination.officer)


def release_pools(user):
    """Pools whose officers' releases the user decides (EVERY_POOL: all)."""
    return EVERY_POOL if is_superuser(user) else pools_where(user, Role.HR_MANAGER)


def can_see_releases(user) -> bool:
    """The line manager's page of releases to decide."""
    return is_superuser(user) or holds(user, Role.HR_MANAGER)


# --- Selection on the record ---------------------------------------------------------------------
# The panel of a call: the panel role scoped to that call, or held nationally or in a pool the call
# is sent to. Members score the nominees from anonymised summaries; the coordinators who manage the
# call see the panel's work, run the assignment and record the decisions.

def is_panel_member(user, call) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if call.pk in panel_call_ids(user):
        return True
    pools = pools_where(user, Role.PANEL_MEMBER)
    return pools is EVERY_POOL or bool(pools & set(call.pool_ids()))


def can_see_panel(user, call) -> bool:
    """The panel's page (anonymised summaries and scores): its members and the call's coordinators."""
    return is_panel_member(user, call) or can_manage_call(user, call)


def can_score(user, call) -> bool:
    """Score the call's nominees: its panel members (the call's status is the workflow's check)."""
    return is_panel_member(user, call)


def can_propose_decision(user, nomination) -> bool:
    """Propose an outcome for a nominee: a coordinator of the officer's pool or a national one."""
    return can_decide_outcome(user, nomination)


def can_approve_decision(user, decision) -> bool:
    """Approve (or reject) a proposed decision: a coordinator of the officer's pool or a national one,
    who neither proposed the decision nor nominated the candidate (four eyes)."""
    nomination = decision.nomination
    return (can_decide_outcome(user, nomination) and user.pk != decision.proposed_by_id
            and user.pk != nomination.nominated_by_id)


def can_run_assignment(user, call) -> bool:
    """Run (and read the runs of) the optimal assignment of a call: the coordinators who manage it."""
    return can_manage_call(user, call)


def can_see_report(user, call) -> bool:
    """The selection report of a call: the coordinators who manage it (officers they do not see are
    named by their pseudonym only)."""
    return can_manage_call(user, call)


# Roles that read the selection's figures (analytics.py), counted over the nominations each may see.
# Not a panel member (the panel works from anonymised summaries: no gender), not a secondee.
ANALYTICS_ROLES = (Role.COORDINATOR, Role.HR_MANAGER, Role.POLICY_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR,
                   Role.ANALYST)


def can_see_selection_analytics(user) -> bool:
    """The analytics page, its export and the API's figures."""
    if user is None or not user.is_authenticated:
        return False
    return is_superuser(user) or holds(user, *ANALYTICS_ROLES)


def can_see_rule_sets(user) -> bool:
    """The eligibility rule sets (no personal data): staff roles that work with calls."""
    if is_superuser(user):
        return True
    pools = call_pools(user)
    return pools is EVERY_POOL or bool(pools) or bool(panel_call_ids(user))


def can_edit_rule_sets(user) -> bool:
    """A new version of an organisation's rule set: national administrators (and superusers)."""
    return is_superuser(user) or pools_where(user, Role.ADMINISTRATOR) is EVERY_POOL


def can_see_ranking(user, call) -> bool:
    """A call's eligibility and ranking pages (they name the nominees): the staff roles of a pool the
    call is sent to, and the national ones. Not a panel member scoped to the call alone: the panel
    works from anonymised summaries (panel.py), and the ranking would name the nominees."""
    if is_superuser(user):
        return True
    pools = pools_where(user, Role.COORDINATOR, Role.PANEL_MEMBER, Role.HR_MANAGER, Role.POLICY_OFFICER,
                        Role.ADMINISTRATOR, Role.AUDITOR, Role.ANALYST)
    return pools is EVERY_POOL or bool(pools & set(call.pool_ids()))


def can_set_criteria(user, call) -> bool:
    """Set, and lock, a call's ranking criteria: its coordinators (can_manage_call)."""
    return can_manage_call(user, call)


# --- Strategic positions -------------------------------------------------------------------------

def can_see_relevance(user) -> bool:
    """A position's relevance, the most strategic open positions and the weights in force: anyone
    who works with calls (the positions listed are those of the calls they see). Not personal data."""
    return can_use_selection(user)


def can_set_relevance(user) -> bool:
    """Set the weights of the relevance parts and assess positions (international commitments,
    national interests, the mission's interests, burden, tags, strategic): a national policy
    officer — the national priorities are a policy decision (as adopting the national ranking)."""
    return is_superuser(user) or pools_where(user, Role.POLICY_OFFICER) is EVERY_POOL


def can_see_rotations(user) -> bool:
    """The rotations of strategic positions: staff who work with calls (national or in a pool);
    holders and successors are named only to those who see the officer (roster visibility)."""
    pools = call_pools(user)
    return pools is EVERY_POOL or bool(pools)
