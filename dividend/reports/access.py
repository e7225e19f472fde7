"""Who may do what with field reports and information requirements (issue 12). Every view, API
endpoint and command of the reports app asks these predicates; the models' `visible_to` read them.

- A secondee files reports on a mission they are deployed to now, and sees their own reports.
- Analysts read and triage the reports of officers of their pools (national analysts: every
  report), and set the standing information requirements.
- A secondee sees the information requirements of the missions they are deployed to.
- Products (situation and flash reports, input on a mandate review) are composed by an analyst and
  approved by another; `can_read_product` is the one gate of every format (page, PDF, STIX, API):
  the product's producers (its author; analysts who read every report it cites) in any state, and
  once published the members of an audience whose breadth its marking allows.
"""

from dividend.pools.access import EVERY_POOL, holds, is_superuser, pools_where
from dividend.pools.models import Role

ANALYST_ROLES = (Role.ANALYST,)


def analyst_pools(user):
    """Pool ids whose officers' reports the user reads as analyst (EVERY_POOL: every report)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return EVERY_POOL
    return pools_where(user, *ANALYST_ROLES)


def is_analyst(user) -> bool:
    pools = analyst_pools(user)
    return pools is EVERY_POOL or bool(pools)


def can_set_requirements(user) -> bool:
    """Information requirements are set by analysts (any scope)."""
    return is_analyst(user)


def can_file_reports(user) -> bool:
    """Filing is for secondees (the mission is checked against their deployment)."""
    return user is not None and user.is_authenticated and holds(user, Role.SECONDEE)


def can_use_reports(user) -> bool:
    return is_analyst(user) or can_file_reports(user)


def can_triage_report(user, report) -> bool:
    pools = analyst_pools(user)
    return pools is EVERY_POOL or report.officer.pool_id in pools


def can_manage_audiences(user) -> bool:
    """Distribution lists are kept by analysts."""
    return is_analyst(user)


def can_compose_products(user) -> bool:
    return is_analyst(user)


def is_producer(user, product) -> bool:
    """The product's author, or an analyst who reads every report it cites."""
    if user is None or not user.is_authenticated:
        return False
    if product.author_id is not None and product.author_id == user.pk:
        return True
    pools = analyst_pools(user)
    if pools is EVERY_POOL:
        return True
    if not pools:
        return False
    return all(pool_id in pools or officer_user_id == user.pk for pool_id, officer_user_id in product.cited_sources())


def can_read_product(user, product) -> bool:
    """The one gate of every format of a product (HTML, PDF, STIX, API); `Product.objects.visible_to`
    is its queryset form."""
    if is_producer(user, product):
        return True
    if product.status != product.Status.PUBLISHED:
        return False
    return any(audience.may_receive(product.marking) for audience in product.audiences.filter(members=user))


def can_edit_product(user, product) -> bool:
    """A draft is edited by its author."""
    return product.status == product.Status.DRAFT and product.author_id == getattr(user, "pk", None) \
        and is_analyst(user)


def can_approve_product(user, product) -> bool:
    """A second analyst approves: a producer who is not the author."""
    return is_analyst(user) and product.author_id != user.pk and is_producer(user, product)


def can_withdraw_product(user, product) -> bool:
    return is_analyst(user) and is_producer(user, product)


def can_give_feedback(user, report) -> bool:
    """Analysts who triage a report mark it useful, unverified or false."""
    return can_triage_report(user, report)


def in_named_group(user, group) -> bool:
    return (user is not None and user.is_authenticated and group.breadth == "named"
            and group.members.filter(pk=user.pk).exists())


def can_record_debriefing(user, group) -> bool:
    """An analyst who is a member of the named group records a debriefing for it."""
    return is_analyst(user) and in_named_group(user, group)


def can_read_debriefing(user, debriefing) -> bool:
    """The members of its named group only."""
    return in_named_group(user, debriefing.group)


# --- Triage (reports.triage) -----------------------------------------------------------------------


def can_use_triage(user) -> bool:
    """The triage queue and its bulk actions are for analysts."""
    return is_analyst(user)


def can_comment_report(user, report) -> bool:
    """Comments between analysts are written by those who triage the report."""
    return can_triage_report(user, report)


def can_suggest(user) -> bool:
    """Theme and place suggestions for a text: whoever files or triages reports."""
    return can_use_reports(user)


def can_read_themes(user) -> bool:
    """The theme vocabulary and its MISP export: analysts (and administrators, who import it)."""
    return is_analyst(user) or can_import_themes(user)


def can_import_themes(user) -> bool:
    """Importing the theme vocabulary changes the product's one vocabulary: national analysts,
    national administrators and superusers."""
    return analyst_pools(user) is EVERY_POOL or holds_nationally(user, Role.ADMINISTRATOR)


def holds_nationally(user, role) -> bool:
    return user is not None and user.is_authenticated and pools_where(user, role) is EVERY_POOL


def can_read_report(user, report) -> bool:
    """A report is read by its author and the analysts who triage it (`FieldReport.objects.visible_to`
    is its queryset form); its attachments with it."""
    if user is None or not user.is_authenticated:
        return False
    return report.officer.user_id == user.pk or can_triage_report(user, report)

# --- Monthly mission reports (issue 12 §7) and debriefing pages (§8) ----------------------------


def can_draft_monthly_reports(user) -> bool:
    """Analysts draft a mission's monthly report (from the field reports they read)."""
    return is_analyst(user)


def can_read_monthly_report(user, report) -> bool:
    """Its author, and analysts who read every field report it cites; `MonthlyReport.objects.visible_to`
    is its queryset form."""
    pools = analyst_pools(user)
    if pools is EVERY_POOL:
        return True
    if not pools:
        return False
    if report.author_id is not None and report.author_id == user.pk:
        return True
    return all(pool_id in pools or officer_user_id == user.pk
               for pool_id, officer_user_id in report.reports.values_list("officer__pool_id", "officer__user_id"))


def can_edit_monthly_report(user, report) -> bool:
    """A draft (or a returned report) is edited and submitted by its author."""
    return report.editable and report.author_id == getattr(user, "pk", None) and is_analyst(user)


def can_approve_monthly_report(user, report) -> bool:
    """A second analyst approves or returns it: one who reads it and is not its author."""
    return is_analyst(user) and report.author_id != user.pk and can_read_monthly_report(user, report)


def can_use_debriefings(user) -> bool:
    """The debriefing pages: analysts (who may record one for a named group they are on) and the
    members of a named group. Each sees only their groups' debriefings."""
    if user is None or not user.is_authenticated:
        return False
    return is_analyst(user) or user.report_audiences.filter(breadth="named").exists()


def can_record_debriefings(user) -> bool:
    """Record a debriefing: an analyst who is a member of at least one named group."""
    return is_analyst(user) and user.report_audiences.filter(breadth="named").exists()
