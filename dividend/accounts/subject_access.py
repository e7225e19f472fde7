"""The accounts' part of the subject access report (see roster.subject_access): the sessions the
person's account has open and its second-factor devices, by name and date (never a key)."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dividend.roster.subject_access import Section, register_subject_data

from .models import SignIn


def account_sections(officer) -> list[Section]:
    if officer.user_id is None:
        return []
    return [
        Section(_("Open sessions"), [_("since"), _("from address")], [
            [s.started_at, s.ip_address] for s in SignIn.objects.filter(user_id=officer.user_id).order_by("started_at")]),
        Section(_("Second-factor devices"), [_("name"), _("confirmed"), _("last used")], [
            [d.name, d.confirmed, d.last_used_at] for d in TOTPDevice.objects.filter(user_id=officer.user_id)]),
    ]


register_subject_data("accounts", account_sections, covers=["accounts.signin.user", "otp_totp.totpdevice.user"])
