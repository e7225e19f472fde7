"""The one input boundary of the commitments app: the pages, the API (its schemas are validated by
these forms) and the commands. Every form knows its user: the pools offered are those the user
records, the secondments those the user sees."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField
from dividend.common.validators import no_markup
from dividend.missions.models import Mission, Position
from dividend.pools.models import Pool

from . import access
from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    BudgetLine,
    CommitmentDocument,
    Decision,
    SecondmentCost,
)


class NamedChoice(IdField):
    def label_from_instance(self, obj):
        return str(obj)


def to_form_errors(form, error):
    """A service's ValidationError shown on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _text(label, max_length, *, required=True, textarea=False, help_text="", label_like=False):
    """Free text (escaped wherever shown); `label_like`: a name or title, refused with markup or line breaks."""
    return forms.CharField(label=label, max_length=max_length, required=required,
                           validators=[no_markup] if label_like else [],
                           widget=forms.Textarea(attrs={"rows": 4}) if textarea else None, help_text=help_text)


def _amount(label):
    return forms.DecimalField(label=label, min_value=0, max_value=MAX_AMOUNT, max_digits=14, decimal_places=2,
                              error_messages={"min_value": _("An amount is zero or more: a negative budget or "
                                                             "cost is refused."),
                                              "max_digits": _("An amount has at most 12 digits before the point.")})


class PoolScopedForm(forms.Form):
    """A form with a pool (empty: national) limited to the pools the user records."""

    pool = NamedChoice(Pool.objects.none(), required=False, label=_("Pool"), empty_label=_("National (every pool)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        pools = access.recorder_pools(user)
        self.fields["pool"].queryset = Pool.objects.all() if pools is access.EVERY_POOL else Pool.objects.filter(
            pk__in=pools)
        if pools is not access.EVERY_POOL:
            self.fields["pool"].required = True
            self.fields["pool"].empty_label = None


class DocumentForm(PoolScopedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentDocument.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    title = _text(_("Title"), 200, label_like=True)
    issued_by = _text(_("Issued by"), 200, label_like=True)
    issued_on = DateField(label=_("Issued on"))
    summary = _text(_("Summary"), 4000, required=False, textarea=True)

    field_order = ["kind", "year", "title", "issued_by", "issued_on", "pool", "summary"]

    def __init__(self, *args, user, document=None, **kwargs):
        if document is not None and "initial" not in kwargs:
            kwargs["initial"] = {"kind": document.kind, "year": document.year, "title": document.title,
                                 "issued_by": document.issued_by, "issued_on": document.issued_on,
                                 "pool": document.pool_id, "summary": document.summary}
        super().__init__(*args, user=user, **kwargs)


class AssignmentForm(forms.Form):
    text = _text(_("Assignment"), 500)
    owner = _text(_("Owner"), 200, help_text=_("The authority or unit that answers for it."), label_like=True)
    report_back_on = DateField(label=_("Report back by"))

    def __init__(self, *args, user, assignment=None, **kwargs):
        if assignment is not None and "initial" not in kwargs:
            kwargs["initial"] = {"text": assignment.text, "owner": assignment.owner,
                                 "report_back_on": assignment.report_back_on}
        super().__init__(*args, **kwargs)
        self.user = user


class MoveForm(forms.Form):
    """A status move of an assignment or a follow-up, with why."""

    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = _text(_("Why"), 500, required=False)

    def __init__(self, *args, user, obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status"].choices = [(s.value, s.label) for s in obj.moves()]


class AssignmentMoveForm(MoveForm):
    pass


class ForumForm(forms.Form):
    name = _text(_("Name"), 200, label_like=True)
    chaired_by = _text(_("Chaired by"), 200, label_like=True)
    members = _text(_("Members"), 500, help_text=_("The bodies taking part, e.g. police, justice, defence, finance, "
                                                   "customs."))
    cadence = _text(_("Meets"), 100, required=False, help_text=_("e.g. monthly"))

    def __init__(self, *args, user, forum=None, **kwargs):
        if forum is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": forum.name, "chaired_by": forum.chaired_by, "members": forum.members,
                                 "cadence": forum.cadence}
        super().__init__(*args, **kwargs)
        self.user = user


class MeetingForm(forms.Form):
    held_on = DateField(label=_("Held on"))
    summary = _text(_("Minutes"), 4000, required=False, textarea=True)

    def __init__(self, *args, user, meeting=None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {"held_on": meeting.held_on, "summary": meeting.summary}
        super().__init__(*args, **kwargs)
        self.user = user


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Decision.Kind.choices)
    text = _text(_("Decision"), 500)
    mission = NamedChoice(Mission.objects.order_by("acronym"), required=False, label=_("Mission"))
    position = NamedChoice(Position.objects.select_related("mission").order_by("mission__acronym", "title"),
                           required=False, label=_("Position"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class FollowUpForm(forms.Form):
    action = _text(_("Action"), 500)
    owner = _text(_("Owner"), 200, label_like=True)
    due_on = DateField(label=_("Due on"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class BudgetLineForm(PoolScopedForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    kind = forms.ChoiceField(label=_("Kind"), choices=BudgetLine.Kind.choices)
    title = _text(_("Title"), 200, label_like=True)
    amount = _amount(_("Amount (EUR)"))

    field_order = ["year", "pool", "kind", "title", "amount"]

    def __init__(self, *args, user, line=None, **kwargs):
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = {"year": line.year, "pool": line.pool_id, "kind": line.kind, "title": line.title,
                                 "amount": line.amount}
        super().__init__(*args, user=user, **kwargs)


class CostForm(forms.Form):
    """A cost charged to a budget line the user records, for a secondment the user sees."""

    line = NamedChoice(BudgetLine.objects.none(), label=_("Budget line"))
    secondment = IdField(queryset=None, label=_("Secondment"), widget=forms.NumberInput,
                         help_text=_("The secondment's number (on its page)."))
    category = forms.ChoiceField(label=_("Category"), choices=SecondmentCost.Category.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=SecondmentCost.Stage.choices,
                              initial=SecondmentCost.Stage.PAID)
    amount = _amount(_("Amount (EUR)"))
    incurred_on = DateField(label=_("Date"))
    note = _text(_("Note"), 300, required=False)

    def __init__(self, *args, user, cost=None, **kwargs):
        from dividend.secondments.models import Secondment

        if cost is not None and "initial" not in kwargs:
            kwargs["initial"] = {"line": cost.line_id, "secondment": cost.secondment_id, "category": cost.category,
                                 "stage": cost.stage, "amount": cost.amount, "incurred_on": cost.incurred_on,
                                 "note": cost.note}
        super().__init__(*args, **kwargs)
        self.user = user
        lines = BudgetLine.objects.visible_to(user).select_related("pool")
        self.fields["line"].queryset = lines.filter(pk__in=[ln.pk for ln in lines if access.can_edit_line(user, ln)])
        self.fields["secondment"].queryset = Secondment.objects.visible_to(user)


__all__ = ["AssignmentForm", "AssignmentMoveForm", "BudgetLineForm", "CostForm", "DecisionForm", "DocumentForm",
           "FollowUpForm", "ForumForm", "MeetingForm", "MoveForm", "to_form_errors"]
