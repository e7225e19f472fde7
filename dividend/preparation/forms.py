"""The preparation app's input boundary: the pages and the API validate through these forms; the
services check the rules again on their own path to the tables."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dividend.common.fields import DateField, IdField
from dividend.roster.models import Officer

from .models import Backfill, BackfillRosterEntry, Checklist, ChecklistItem
from .topics import suggest_returnees


class OfficerChoice(IdField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.rank}, {obj.service_number})"


class ServiceNumberField(forms.CharField):
    """An officer of one pool, typed as their service number (a pool can hold thousands of officers:
    no select lists them all)."""

    def __init__(self, *args, pool_id=None, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.pool_id = pool_id

    def clean(self, value):
        number = super().clean(value)
        if not number:
            return None
        officer = Officer.objects.select_related("pool", "rank").filter(pool_id=self.pool_id,
                                                                        service_number=number).first()
        if officer is None:
            raise forms.ValidationError(_("No officer of this pool has the service number %(number)s.") % {
                "number": number})
        return officer


class TickForm(forms.Form):
    done = forms.TypedChoiceField(label=_("Done"), choices=[("1", _("done")), ("0", _("not done"))],
                                  coerce=lambda v: v == "1")


class ItemEditForm(forms.Form):
    """An item's due date (on or before departure), a note (not on the medical item: yes/no only)
    and, on the returnee exchange, the returnee the officer met."""

    due_date = DateField(label=_("Due"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    returnee = OfficerChoice(Officer.objects.none(), label=_("Returnee met"), required=False)

    def __init__(self, *args, item: ChecklistItem, user, **kwargs):
        secondment = item.checklist.secondment
        initial = {"due_date": item.due_date, "note": item.note, "returnee": item.returnee_id}
        super().__init__(*args, initial=initial, **kwargs)
        self.item, self.user, self.departure = item, user, secondment.start_date
        if item.medical:
            del self.fields["note"]
        if item.kind == "returnee_exchange":
            ids = [r.officer.pk for r in suggest_returnees(secondment, user)]
            if item.returnee_id:
                ids.append(item.returnee_id)
            self.fields["returnee"].queryset = Officer.objects.filter(pk__in=ids).select_related("rank")
        else:
            del self.fields["returnee"]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due > self.departure:
            raise forms.ValidationError(_("Due %(due)s is after departure on %(departure)s; an item is due on or "
                                          "before departure.") % {"due": f"{due:%Y-%m-%d}",
                                                                  "departure": f"{self.departure:%Y-%m-%d}"})
        return due


class CaveatsForm(forms.Form):
    caveats = forms.CharField(label=_("National caveats"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=Checklist._meta.get_field("caveats").help_text)

    def __init__(self, *args, checklist: Checklist, **kwargs):
        super().__init__(*args, initial={"caveats": checklist.caveats}, **kwargs)
        self.checklist = checklist


class BackfillForm(forms.Form):
    arrangement = forms.ChoiceField(label=_("How the post is covered"), choices=Backfill.Arrangement.choices,
                                    widget=forms.RadioSelect)
    substitute = OfficerChoice(Officer.objects.none(), label=_("Substitute (from the backfill roster)"),
                               required=False)
    promoted = ServiceNumberField(label=_("Officer promoted for the time (service number)"), required=False,
                                  help_text=_("A junior officer of the same pool."))
    start_date = DateField(label=_("From"), required=False)
    end_date = DateField(label=_("To"), required=False)
    funding = forms.ChoiceField(label=_("Replacement funding"), choices=Backfill.Funding.choices)
    funding_note = forms.CharField(label=_("Funding note"), max_length=500, required=False)
    cost_figure = forms.DecimalField(label=_("Cost of the absence (a figure entered)"), required=False,
                                     min_value=Decimal("0"), max_digits=12, decimal_places=2,
                                     help_text=_("Empty: days away × the daily cost of the officer's rank."))

    def __init__(self, *args, secondment, user, **kwargs):
        backfill = Backfill.objects.filter(secondment=secondment).select_related("promoted").first()
        initial = {"funding": Backfill.Funding.NONE}
        if backfill is not None:
            initial = {"arrangement": backfill.arrangement, "substitute": backfill.substitute_id,
                       "promoted": backfill.promoted.service_number if backfill.promoted_id else "",
                       "start_date": backfill.start_date, "end_date": backfill.end_date, "funding": backfill.funding,
                       "funding_note": backfill.funding_note, "cost_figure": backfill.cost_figure}
        super().__init__(*args, initial=initial, **kwargs)
        self.secondment, self.user = secondment, user
        self.promoted_officer = backfill.promoted if backfill is not None else None
        pool_id = secondment.officer.pool_id
        self.fields["promoted"].pool_id = pool_id
        roster = BackfillRosterEntry.objects.filter(pool_id=pool_id).values("officer_id")
        self.fields["substitute"].queryset = (Officer.objects.filter(pk__in=roster).exclude(pk=secondment.officer_id)
                                              .select_related("rank"))
        self.fields["substitute"].error_messages["invalid_choice"] = _(
            "Choose a substitute on the backfill roster of the officer's pool.")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The backfill ends (%(end)s) before it starts (%(start)s).") % {
                "end": f"{end:%Y-%m-%d}", "start": f"{start:%Y-%m-%d}"})
        return data


class RosterAddForm(forms.Form):
    officer = ServiceNumberField(label=_("Service number"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.fields["officer"].pool_id = pool.pk
