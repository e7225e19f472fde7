from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField
from dividend.missions.models import Position
from dividend.reference.models import Rank

from .access import moves_for
from .models import Secondment
from .services import INITIAL_STATUSES


def positions():
    return Position.objects.select_related("mission").order_by("mission__acronym", "title")


class SecondmentListForm(forms.Form):
    """The secondment list's filters: a status, and an end date within N days (ending soon)."""

    status = forms.ChoiceField(choices=[("", _("all"))] + Secondment.Status.choices, required=False,
                               label=_("Status"))
    ends_within = forms.IntegerField(required=False, min_value=0, max_value=366, label=_("Ending within (days)"))
    page = forms.IntegerField(required=False, min_value=1)


class SecondmentForm(forms.Form):
    """Record a secondment of one officer (selected or preparing, or past mission history)."""

    position = IdField(positions(), label=_("Position"))
    start_date = DateField(label=_("Start date"))
    end_date = DateField(label=_("End date"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in INITIAL_STATUSES], initial=Secondment.Status.SELECTED)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500, help_text=_("E.g. where the record comes from."))

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class SecondmentEditForm(forms.Form):
    """Correct a secondment's position and dates; its status moves only through MoveForm."""

    position = IdField(positions(), label=_("Position"))
    start_date = DateField(label=_("Start date"))
    end_date = DateField(label=_("End date"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500, help_text=_("Why the record changes (kept in the audit log)."))

    def __init__(self, *args, secondment: Secondment, user, **kwargs):
        initial = {"position": secondment.position_id, "start_date": secondment.start_date,
                   "end_date": secondment.end_date}
        super().__init__(*args, initial=initial, **kwargs)
        self.secondment, self.user = secondment, user

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class MoveField(forms.ChoiceField):
    """Offers the moves the user may make now, and reads any move of the lifecycle: one that is out
    of order gets the form's message, one the user may not make the service's refusal (403)."""

    def valid_value(self, value):
        return value in Secondment.Move.values


class MoveForm(forms.Form):
    """Move one secondment on: only the moves this user may make from its current status, none chosen
    in advance; a date for the moves that take one (the new end date, the day the officer came back)."""

    move = MoveField(label=_("Move"))
    date = DateField(label=_("Date"), required=False,
                     help_text=_("Extend: the new end date. Return or cut short: the day the officer came back (today if empty)."))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, secondment: Secondment, user, moves=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{secondment.pk}_%s")
        super().__init__(*args, **kwargs)
        self.secondment, self.user = secondment, user
        moves = moves_for(user, secondment) if moves is None else moves
        self.fields["move"].choices = [("", _("choose…"))] + [(m.value, m.label) for m in moves]
        self.fields["reason"].widget.attrs["placeholder"] = _("reason")

    @classmethod
    def for_user(cls, secondment: Secondment, user, *args, **kwargs):
        """The form, or None when the user may make no move on this secondment now."""
        moves = moves_for(user, secondment)
        if not moves:
            return None
        return cls(*args, secondment=secondment, user=user, moves=moves, **kwargs)

    def clean(self):
        data = super().clean()
        move = data.get("move")
        if move and not self.secondment.can_make(move):
            self.add_error("move", _("A %(status)s secondment cannot be moved on by “%(move)s”.") % {
                "status": self.secondment.get_status_display().lower(), "move": Secondment.Move(move).label.lower()})
            return data
        if move in Secondment.REASON_REQUIRED and not data.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for “%(move)s”.") % {"move": Secondment.Move(move).label.lower()})
        if move == Secondment.Move.EXTEND and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Give the new end date."))
        if data.get("date") and move and move not in Secondment.DATED:
            self.add_error("date", _("“%(move)s” takes no date.") % {"move": Secondment.Move(move).label})
        return data


class PromotionForm(forms.Form):
    """A rank change while deployed (services.record_promotion)."""

    rank = IdField(Rank.objects.order_by("order"), label=_("New rank"))
    effective_on = DateField(label=_("Takes effect on"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, secondment: Secondment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.secondment, self.user = secondment, user


class HandoverForm(forms.Form):
    """The outgoing secondee hands over to a successor on the same position (services.record_handover)."""

    successor = IdField(Secondment.objects.none(), label=_("Successor"))
    handed_over_on = DateField(label=_("Handed over on"))
    notes = forms.CharField(label=_("What was handed over"), required=False, max_length=4000, widget=forms.Textarea)

    def __init__(self, *args, secondment: Secondment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.secondment, self.user = secondment, user
        # The successors the reader may see: live secondments on the same position.
        self.fields["successor"].queryset = (
            Secondment.objects.visible_to(user).filter(position_id=secondment.position_id)
            .filter(status__in=(Secondment.Status.SELECTED, Secondment.Status.PREPARING, Secondment.Status.DEPLOYED))
            .exclude(pk=secondment.pk).select_related("officer").order_by("start_date", "id"))
        self.fields["successor"].label_from_instance = lambda s: f"{s.officer.full_name} ({s.start_date:%Y-%m-%d})"
