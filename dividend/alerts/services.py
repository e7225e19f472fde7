"""Workflows of the alerts app: sending an alert, a recipient's reply, deploying the chosen and
standing the alert down. Each is a keyword-only function, `actor` first, audited; the e-mails go
to Django's e-mail backend once the transaction is committed (nothing is sent for a change that
did not happen, and nothing the mail server does can undo one that did)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dividend.audit.services import record
from dividend.roster.access import can_manage_secondments
from dividend.secondments.services import create_secondment

from . import access
from .models import Alert, Recipient

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 500
ALERT_FIELDS = ("title", "message", "position", "start_date", "end_date", "query")


def record_read(*, actor, alert: Alert, officer_ids, fields=("recipients", "answer", "answered_at", "outcome")):
    """Log that `actor` was shown an alert with the answers of these officers: one entry naming them."""
    record(actor=actor, action="read", obj=alert, fields=list(fields), detail={"officer_ids": sorted(officer_ids)})


def _send_on_commit(messages) -> None:
    """Hand the messages to the e-mail backend once the transaction commits. A failing mail server
    is logged, not raised: the change is made and stays made (the pages show it to everyone)."""
    messages = [m for m in messages if m.to]

    def send():
        try:
            get_connection().send_messages(messages)
        except Exception:  # any transport error: the change is committed, the log says what was not sent
            logger.exception("alerts: %d e-mail(s) not sent", len(messages))

    if messages:
        transaction.on_commit(send)


def _link(base_url: str, name: str, pk: int) -> str:
    return f"{base_url.rstrip('/')}{reverse(name, args=[pk])}"


def _alert_message(alert: Alert, officer, base_url: str) -> EmailMessage:
    body = _("A rapid deployment alert has been sent to you.\n\n%(title)s\n\n%(message)s\n\nDeparture: %(start)s\n"
             "Return: %(end)s\n\nPlease answer at once, available or not available:\n%(link)s\n") % {
        "title": alert.title, "message": alert.message, "start": f"{alert.start_date:%Y-%m-%d}",
        "end": f"{alert.end_date:%Y-%m-%d}" if alert.end_date else "—",
        "link": _link(base_url, "alerts:answer", alert.pk)}
    return EmailMessage(subject=_("Rapid deployment alert: %(title)s") % {"title": alert.title}, body=body,
                        to=[officer.email])


def _outcome_message(alert: Alert, recipient: Recipient, base_url: str) -> EmailMessage:
    if recipient.outcome == Recipient.Outcome.DEPLOYED:
        subject = _("Deployment confirmed: %(title)s") % {"title": alert.title}
        body = _("You have been chosen for %(title)s. Departure: %(start)s. Your coordinator will be in touch "
                 "with the details.\n\n%(link)s\n")
    else:
        subject = _("Stand down: %(title)s") % {"title": alert.title}
        body = _("You are not needed for %(title)s: stand down, you need not keep yourself ready any longer. "
                 "Thank you for your answer.\n\n%(link)s\n")
    body = body % {"title": alert.title, "start": f"{alert.start_date:%Y-%m-%d}",
                   "link": _link(base_url, "alerts:answer", alert.pk)}
    return EmailMessage(subject=subject, body=body, to=[recipient.officer.email] if recipient.officer.email else [])


def create_alert(*, actor, title: str, message: str, start_date, officers, end_date=None, position=None,
                 query=None, base_url: str = "", notify: bool = True) -> Alert:
    """Send a rapid deployment alert to officers chosen from the crisis query.

    Steps: 1. check the actor sends alerts and may alert each chosen officer; 2. validate: at least
    one recipient and at most MAX_RECIPIENTS, the return not before the departure; 3. one
    transaction: the alert (open, sent now) and a recipient row per officer (no answer yet); 4.
    audit: the alert with its officers' ids; 5. on commit: the alert by e-mail to every recipient
    with an address (the link opens their answer page).
    """
    if not access.can_send_alerts(actor):
        raise PermissionDenied(_("Only coordinators send rapid deployment alerts."))
    officers = list({o.pk: o for o in officers}.values())
    if not officers:
        raise ValidationError({"officers": _("Choose at least one officer to alert.")})
    if len(officers) > MAX_RECIPIENTS:
        raise ValidationError({"officers": _("An alert goes to at most %(max)s officers; %(count)s are chosen.") % {
            "max": MAX_RECIPIENTS, "count": len(officers)}})
    outside = [o.full_name for o in officers if not access.can_alert_officer(actor, o)]
    if outside:
        raise PermissionDenied(_("You may not alert officers outside your pools: %(names)s.") % {
            "names": ", ".join(sorted(outside))})
    title, message = title.strip(), message.strip()
    if not title or not message:
        raise ValidationError(_("Give the alert a title and a message."))
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The return is before the departure.")})
    now = timezone.now()
    with transaction.atomic():  # notify=False: an alert handled outside Dividend (the demo data), nobody mailed
        alert = Alert(title=title, message=message, start_date=start_date, end_date=end_date, position=position,
                      query=query or {}, created_by=actor, sent_at=now, status=Alert.Status.OPEN,
                      status_changed_at=now, status_changed_by=actor, status_reason="sent")
        alert.full_clean()
        alert.save()
        Recipient.objects.bulk_create([Recipient(alert=alert, officer=o) for o in officers])
        record(actor=actor, action="create", obj=alert, fields=[*ALERT_FIELDS, "recipients"],
               detail={"officer_ids": sorted(o.pk for o in officers)})
        if notify:
            _send_on_commit([_alert_message(alert, o, base_url) for o in officers if o.email])
    return alert


def reply(*, actor, recipient: Recipient, answer: str, note: str = "") -> Recipient:
    """A secondee answers an alert sent to them: available or not available, once.

    Steps: 1. check the actor is the recipient (a secondee answers for themself); 2. validate: an
    answer of the two, the alert still open, not answered before (checked again on the locked row,
    so two answers sent at once keep the first); 3. save the answer with its time; 4. audit.
    """
    if not access.can_reply(actor) or not access.is_recipient(actor, recipient):
        raise PermissionDenied(_("Only the officer the alert was sent to answers it."))
    if answer not in (Recipient.Answer.AVAILABLE, Recipient.Answer.NOT_AVAILABLE):
        raise ValidationError({"answer": _("Answer available or not available.")})
    with transaction.atomic():
        locked = Recipient.objects.select_for_update().select_related("alert", "officer").get(pk=recipient.pk)
        if not locked.alert.is_open:
            raise ValidationError(_("This alert is %(status)s: it takes no more answers.") % {
                "status": locked.alert.get_status_display().lower()})
        if locked.replied:
            raise ValidationError(_("You answered this alert already (%(answer)s at %(time)s).") % {
                "answer": locked.get_answer_display().lower(),
                "time": timezone.localtime(locked.answered_at).strftime("%Y-%m-%d %H:%M")})
        locked.answer, locked.answered_at, locked.note = answer, timezone.now(), note.strip()[:300]
        locked.full_clean()
        locked.save(update_fields=["answer", "answered_at", "note"])
        record(actor=actor, action="update", obj=locked, changes={"answer": (Recipient.Answer.NO_ANSWER, answer)},
               fields=["answer", "answered_at", "note"],
               detail={"officer_id": locked.officer_id, "alert_id": locked.alert_id})
    return locked


def _check_move(alert: Alert, status: str) -> None:
    if not alert.can_move_to(status):
        raise ValidationError(_("This alert is %(status)s: it cannot be %(new)s.") % {
            "status": alert.get_status_display().lower(), "new": Alert.Status(status).label.lower()})


def _move(*, actor, alert: Alert, status: str, reason: str, now) -> str:
    """Check the move against Alert.TRANSITIONS and record who/when/why on the (locked) alert."""
    _check_move(alert, status)
    previous = alert.status
    alert.status, alert.status_changed_at, alert.status_changed_by = status, now, actor
    alert.status_reason = reason
    alert.save(update_fields=["status", "status_changed_at", "status_changed_by", "status_reason"])
    return previous


def _check_manager(actor, alert: Alert) -> None:
    if not access.can_manage_alert(actor, alert.pool_ids()):
        raise PermissionDenied(_("Only a coordinator of every pool the alert reaches deploys or stands it down."))


def deploy(*, actor, alert: Alert, officers, reason: str = "", base_url: str = "", notify: bool = True) -> Alert:
    """Deploy the chosen recipients: the alert is filled (closed) and everyone else stands down.

    Steps: 1. check the actor manages the alert (a coordinator of every pool it reaches) and the
    secondments of each chosen officer; 2. validate: the alert is open, at least one officer is
    chosen, each chosen one is a recipient who answered available; 3. one transaction: lock the
    alert; the chosen recipients deployed, and, when the alert names a mission position, their
    secondment on it from the departure to the return (secondments.services.create_secondment:
    refused dates refuse the whole deployment); everyone else stood down; the alert closed with
    who/when/why; 4. audit the move with the deployed officers; 5. on commit: an e-mail to each
    recipient with an address, deployed or stood down.
    """
    _check_manager(actor, alert)
    chosen_ids = {o.pk for o in officers}
    if not chosen_ids:
        raise ValidationError({"officers": _("Choose at least one officer to deploy.")})
    now = timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        _check_move(alert, Alert.Status.CLOSED)
        recipients = list(Recipient.objects.filter(alert=alert).select_related("officer", "officer__pool")
                          .order_by("id"))
        by_officer = {r.officer_id: r for r in recipients}
        strangers = sorted(chosen_ids - set(by_officer))
        if strangers:
            raise ValidationError({"officers": _("Not a recipient of this alert: %(ids)s.") % {
                "ids": ", ".join(map(str, strangers))}})
        unwilling = sorted(by_officer[i].officer.full_name for i in chosen_ids
                           if by_officer[i].answer != Recipient.Answer.AVAILABLE)
        if unwilling:
            raise ValidationError({"officers": _("Only officers who answered available are deployed: %(names)s "
                                                 "did not.") % {"names": ", ".join(unwilling)}})
        refused = sorted(by_officer[i].officer.full_name for i in chosen_ids
                         if not can_manage_secondments(actor, by_officer[i].officer))
        if refused:
            raise PermissionDenied(_("You may not deploy %(names)s.") % {"names": ", ".join(refused)})
        previous = _move(actor=actor, alert=alert, status=Alert.Status.CLOSED, reason=reason.strip(),
                         now=now)
        for r in recipients:
            deployed = r.officer_id in chosen_ids
            r.outcome = Recipient.Outcome.DEPLOYED if deployed else Recipient.Outcome.STOOD_DOWN
            r.outcome_at = now
            r.told_at = now if notify and r.officer.email else None
            if deployed and alert.position_id is not None:
                r.secondment = create_secondment(actor=actor, officer=r.officer, position=alert.position,
                                                 start_date=alert.start_date, end_date=alert.end_date,
                                                 reason=_("rapid deployment alert %(id)s") % {"id": alert.pk})
        Recipient.objects.bulk_update(recipients, ["outcome", "outcome_at", "told_at", "secondment"])
        record(actor=actor, action="status", obj=alert, changes={"status": (previous, alert.status)},
               detail={"reason": alert.status_reason, "deployed_officer_ids": sorted(chosen_ids),
                       "stood_down_officer_ids": sorted(set(by_officer) - chosen_ids)})
        if notify:
            _send_on_commit([_outcome_message(alert, r, base_url) for r in recipients])
    return alert


def stand_down(*, actor, alert: Alert, reason: str, base_url: str = "", notify: bool = True) -> Alert:
    """Stand the alert down: nobody is deployed, everyone is told.

    Steps: 1. check the actor manages the alert; 2. validate: the alert is open, a reason is given
    (the recipients read it); 3. one transaction: lock the alert, every recipient stood down, the
    alert stood down with who/when/why; 4. audit; 5. on commit: an e-mail to each recipient with
    an address.
    """
    _check_manager(actor, alert)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the alert is stood down: the recipients read it.")})
    now = timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        previous = _move(actor=actor, alert=alert, status=Alert.Status.STOOD_DOWN, reason=reason, now=now)
        recipients = list(Recipient.objects.filter(alert=alert).select_related("officer").order_by("id"))
        for r in recipients:
            r.outcome, r.outcome_at = Recipient.Outcome.STOOD_DOWN, now
            r.told_at = now if notify and r.officer.email else None
        Recipient.objects.bulk_update(recipients, ["outcome", "outcome_at", "told_at"])
        record(actor=actor, action="status", obj=alert, changes={"status": (previous, alert.status)},
               detail={"reason": reason, "stood_down_officer_ids": sorted(r.officer_id for r in recipients)})
        if notify:
            _send_on_commit([_outcome_message(alert, r, base_url) for r in recipients])
    return alert
