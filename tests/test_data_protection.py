"""Data protection: the subject access report covers every table about an officer, is for the
officer and need-to-know only, and is audited."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from dividend.audit.models import AuditEntry
from dividend.audit.retention import apply_retention
from dividend.audit.services import record, record_list
from dividend.pools.models import Role
from dividend.reference.models import QualificationType
from dividend.roster.exports import subject_access_pdf
from dividend.roster.facts import stale_search_facts
from dividend.roster.forms import QualificationForm
from dividend.roster.models import Officer, Qualification, UnavailablePeriod
from dividend.roster.parsing import RelatedValues
from dividend.roster.subject_access import covered_fields, subject_access_report

from .factories import make_mission, make_officer, make_pool, make_position, make_secondment, make_user

pytestmark = pytest.mark.django_db


def _relations_to_a_person():
    """Every relation field of every installed model (installed packages' too: the admin's log, the
    second factor's devices) that points at an officer or at a user account."""
    targets = {Officer, get_user_model()}
    for model in apps.get_models(include_auto_created=False):
        for f in model._meta.get_fields():
            if f.is_relation and not f.auto_created and f.related_model in targets:
                yield f"{model._meta.label_lower}.{f.name}"


def test_every_relation_to_an_officer_or_a_user_is_in_the_subject_access_report():
    missing = sorted(set(_relations_to_a_person()) - covered_fields())
    assert missing == [], "register these in an app's subject_access module (roster.subject_access explains)"


@pytest.fixture
def subject():
    pool = make_pool("alpha")
    user = make_user(Role.SECONDEE, pools=[pool], username="aalto")
    officer = make_officer(pool, user=user, last_name="Aalto", skills=[("training", 2)],
                           qualifications=[("medical_fitness", dt.date(2026, 1, 1), dt.date(2027, 1, 1))])
    make_secondment(officer, make_position(make_mission("EUMM", name="EU Monitoring Mission"), title="Monitor"))
    return officer


def _sections(report):
    return {s.title: s.rows for s in report.sections}


def test_the_report_holds_the_record_its_restricted_data_and_the_secondments(subject):
    sections = _sections(subject_access_report(actor=subject.user, officer=subject))
    assert ["Last name", "Aalto"] in sections["Officer record"]
    assert ["Emergency contact: phone", "+32 2 000 00 00"] in sections["Officer record"]
    assert sections["Skills"] == [["Training", 2]]
    assert [row[0] for row in sections["Qualifications"]] == ["Medical fitness for deployment"]
    assert [(row[0], row[1]) for row in sections["Secondments"]] == [("EU Monitoring Mission", "Monitor")]


def test_the_report_names_who_read_the_record_and_which_lists_showed_it(subject):
    reader = make_user(Role.COORDINATOR, pools=[subject.pool], username="reader")
    record(actor=reader, action="read", obj=subject, fields=["phone"])
    record_list(actor=reader, object_type="roster.officer", ids=[subject.pk + 1000, subject.pk], filters={})
    record_list(actor=reader, object_type="roster.officer", ids=[subject.pk + 1000], filters={})
    rows = _sections(subject_access_report(actor=subject.user, officer=subject))["Who read or changed this record"]
    assert [(row[1], row[2]) for row in rows if row[1] == "reader"] == [("reader", "read"), ("reader", "list")]


def test_a_national_coordinator_may_not_have_it(subject):
    national = make_user(Role.COORDINATOR, national=True)
    with pytest.raises(PermissionDenied):
        subject_access_report(actor=national, officer=subject)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_is_audited_with_its_format_and_sizes(subject):
    coordinator = make_user(Role.COORDINATOR, pools=[subject.pool])
    subject_access_report(actor=coordinator, officer=subject, channel_format="pdf")
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_id, entry.object_id, entry.detail["format"]) == (coordinator.pk, str(subject.pk), "pdf")
    assert entry.detail["sections"]["Secondments"] == 1


def test_the_pdf_is_a_pdf(subject):
    assert subject_access_pdf(subject_access_report(actor=subject.user, officer=subject)).startswith(b"%PDF")


def test_the_secondee_downloads_their_own_report_as_json(client, subject):
    client.force_login(subject.user)
    response = client.get(f"/roster/officers/{subject.pk}/subject-access.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{subject.pk}.json"'
    assert json.loads(response.content)["officer_id"] == subject.pk


def test_an_unknown_format_is_a_clear_error(client, subject):
    client.force_login(subject.user)
    response = client.get(f"/roster/officers/{subject.pk}/subject-access.xml")
    assert (response.status_code, response.content) == (400, b"Unknown format: use json or pdf.")


def test_the_command_writes_the_report_and_refuses_to_overwrite(subject, tmp_path):
    output = tmp_path / "report.json"
    call_command("subject_access", "--officer", str(subject.pk), "--actor", "aalto", "--output", str(output))
    assert json.loads(output.read_text())["officer"] == str(subject)
    with pytest.raises(CommandError, match="exists; name a new file"):
        call_command("subject_access", "--officer", str(subject.pk), "--actor", "aalto", "--output", str(output))


def test_the_command_refuses_an_officer_the_actor_may_not_see(subject, tmp_path):
    make_user(Role.COORDINATOR, pools=[make_pool("beta")], username="other")
    with pytest.raises(CommandError, match=f"No officer {subject.pk} that 'other' may see"):
        call_command("subject_access", "--officer", str(subject.pk), "--actor", "other",
                     "--output", str(tmp_path / "x.json"))


# --- Store only what is needed ----------------------------------------------------------------

@pytest.fixture
def coordinator_and_officer():
    pool = make_pool("alpha")
    return make_user(Role.COORDINATOR, pools=[pool]), make_officer(pool)


@pytest.mark.parametrize("code, level, reference, errors", [
    ("medical_fitness", "", "MED-1", {"reference": ["Medical fitness for deployment keeps no document number: "
                                                    "only its outcome and its expiry."]}),
    ("medical_fitness", "fit, knee", "", {"level": ["Medical fitness for deployment keeps no level or note: "
                                                     "its record is the outcome itself."]}),
    ("security_clearance", "very secret", "", {"level": ["Give the level as one of: restricted, confidential, "
                                                         "secret, top secret."]}),
    ("security_clearance", "Secret", "", {}),
    ("un_saat", "", "SAAT-1", {}),
])
def test_medical_and_clearance_records_hold_only_their_outcome_or_level(coordinator_and_officer, code, level,
                                                                       reference, errors):
    coordinator, officer = coordinator_and_officer
    form = QualificationForm(data={"qualification_type": QualificationType.objects.get(code=code).pk,
                                   "expires_on": "2028-01-01", "level": level, "reference": reference},
                             user=coordinator, officer=officer)
    assert form.is_valid() is not errors
    assert form.errors == errors


def test_the_import_refuses_a_note_on_a_medical_record(coordinator_and_officer):
    coordinator, officer = coordinator_and_officer
    with pytest.raises(ValueError, match="medical_fitness: Medical fitness for deployment keeps no level or note"):
        RelatedValues().qualifications_of("medical_fitness:2026-01-01:2027-01-01:asthma")


def test_unavailability_reasons_are_categories_not_free_text(coordinator_and_officer):
    _, officer = coordinator_and_officer
    period = UnavailablePeriod(officer=officer, start=dt.date(2027, 1, 1), end=dt.date(2027, 2, 1), reason="sick leave")
    with pytest.raises(ValidationError, match="is not a valid choice"):
        period.full_clean()


# --- Retention ----------------------------------------------------------------------------------

@pytest.fixture
def old_records():
    pool = make_pool("alpha")
    officer = make_officer(pool, qualifications=[("medical_fitness", dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
                                                 ("medical_fitness", dt.date(2026, 1, 1), dt.date(2027, 1, 1))])
    UnavailablePeriod.objects.create(officer=officer, start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 1), reason="leave")
    UnavailablePeriod.objects.create(officer=officer, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), reason="leave")
    return officer


NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_a_dry_run_counts_and_changes_nothing(old_records):
    results = {r.key: r.count for r in apply_retention(now=NOW, dry_run=True)}
    assert results == {"alerts.ended_alert": 0, "audit.entry": 0, "care.contact": 0, "care.leave_debriefing": 0,
                       "roster.rejected_qualification": 0, "roster.restricted_qualification": 1,
                       "roster.unavailable_period": 1}
    assert (Qualification.objects.count(), UnavailablePeriod.objects.count(), AuditEntry.objects.count()) == (2, 2, 0)


def test_retention_deletes_what_is_past_its_period_and_audits_each_record(old_records):
    apply_retention(now=NOW)
    assert list(Qualification.objects.values_list("expires_on", flat=True)) == [dt.date(2027, 1, 1)]
    assert list(UnavailablePeriod.objects.values_list("end", flat=True)) == [dt.date(2026, 2, 1)]
    deletions = AuditEntry.objects.filter(action="delete").order_by("object_type")
    assert [(e.object_type, e.detail) for e in deletions] == [
        ("roster.qualification", {"officer_id": old_records.pk, "reason": "retention rule roster.restricted_qualification"}),
        ("roster.unavailableperiod", {"officer_id": old_records.pk, "reason": "retention rule roster.unavailable_period"})]
    assert sorted(AuditEntry.objects.filter(action="purge").values_list("object_repr", flat=True)) == [
        "roster.restricted_qualification", "roster.unavailable_period"]
    assert stale_search_facts() == []


def test_rejected_qualifications_go_after_their_period(old_records):
    Qualification.objects.filter(expires_on=dt.date(2027, 1, 1)).update(
        status=Qualification.Status.REJECTED, decided_at=NOW - dt.timedelta(days=181))
    assert {r.key: r.count for r in apply_retention(now=NOW)}["roster.rejected_qualification"] == 1


def test_a_period_is_set_per_rule(old_records, settings):
    settings.DIVIDEND_RETENTION_DAYS = {"roster.unavailable_period": 365 * 10}
    assert {r.key: r.count for r in apply_retention(now=NOW, dry_run=True)}["roster.unavailable_period"] == 0


@pytest.mark.parametrize("setting, message", [
    ({"roster.unknown": 5}, "unknown rule"), ({"roster.unavailable_period": 0}, "at least 1"),
    ({"roster.unavailable_period": "30"}, "whole number"),
])
def test_a_bad_retention_setting_is_a_clear_error(settings, setting, message):
    settings.DIVIDEND_RETENTION_DAYS = setting
    with pytest.raises(ImproperlyConfigured, match=message):
        apply_retention(now=NOW, dry_run=True)


def test_the_command_prints_one_line_per_rule_the_audit_log_last(old_records, capsys):
    call_command("apply_retention", "--dry-run")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["alerts.ended_alert", "care.contact", "care.leave_debriefing",
                                                    "roster.rejected_qualification", "roster.restricted_qualification",
                                                    "roster.unavailable_period", "audit.entry"]
