"""The subject access report is headed in the reader's language (issue 9); the audit log stays in
English whoever acts: the export's entry names the sections, and a record's label its reference data,
in English."""

import pytest
from django.utils import translation

from dividend.audit.models import AuditEntry
from dividend.audit.services import record
from dividend.pools.models import Role
from dividend.reference.models import QualificationType
from dividend.roster.models import Qualification
from dividend.roster.subject_access import subject_access_report

from .factories import make_officer, make_pool, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject():
    pool = make_pool("alpha")
    return make_officer(pool, user=make_user(Role.SECONDEE, pools=[pool]), last_name="Aalto",
                        skills=[("forensics", 2)])


def test_the_report_is_headed_in_german(subject):
    with translation.override("de"):
        report = subject_access_report(actor=subject.user, officer=subject).as_json()
    sections = {s["title"]: s for s in report["sections"]}
    assert sections["Fähigkeiten"]["headers"] == ["Fähigkeit", "Stufe"]
    assert sections["Fähigkeiten"]["rows"] == [["Kriminaltechnik", 2]]
    assert ["Nachname", "Aalto"] in sections["Personaldatensatz"]["rows"]
    assert "Wer diesen Datensatz gelesen oder geändert hat" in sections


def test_the_audit_entry_names_the_sections_in_english(subject):
    with translation.override("fr"):
        subject_access_report(actor=subject.user, officer=subject)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("id")
    assert entry.detail["sections"]["Skills"] == 1
    assert "Officer record" in entry.detail["sections"] and "Fiche de l’agent" not in entry.detail["sections"]


def test_the_audit_log_names_a_record_in_english_whoever_acts(subject):
    qualification = Qualification.objects.create(officer=subject, qualification_type_id=QualificationType.objects.get(
        code="passport").pk)
    with translation.override("de"):
        record(actor=subject.user, action=AuditEntry.Action.UPDATE, obj=qualification, fields=["expires_on"])
    assert AuditEntry.objects.latest("id").object_repr == "Service passport (until no expiry)"
