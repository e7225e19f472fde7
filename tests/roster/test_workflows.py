"""Model rules, secondee self-service with confirmation, crisis query."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dividend.audit.models import AuditEntry
from dividend.pools.models import Role
from dividend.reference.models import QualificationType, ThematicArea
from dividend.roster import services
from dividend.roster.models import Officer, Qualification, add_months
from dividend.roster.search import CrisisRequest, crisis_candidates

from ..factories import (
    language_rows,
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_secondment,
    make_user,
    skill_rows,
)

pytestmark = pytest.mark.django_db


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day and (result + dt.timedelta(days=1)).day == 1


def test_add_months_examples():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


def test_service_number_unique_within_pool_only():
    pool_a, pool_b = make_pool(), make_pool()
    make_officer(pool_a, service_number="S-1")
    make_officer(pool_b, service_number="S-1")
    with pytest.raises(ValidationError):
        Officer(pool=pool_a, service_number="S-1", first_name="x", last_name="y", rank_id=1, gender="male",
                date_of_birth=dt.date(1980, 1, 1)).full_clean()


def test_qualification_validity():
    officer = make_officer(make_pool())
    saat = QualificationType.objects.get(code="un_saat")
    q = Qualification.objects.create(officer=officer, qualification_type=saat, issued_on=dt.date(2025, 3, 1),
                                     expires_on=dt.date(2027, 3, 1))
    assert q.is_valid_on(dt.date(2027, 3, 1)) and not q.is_valid_on(dt.date(2027, 3, 2))
    assert not q.is_valid_on(dt.date(2025, 2, 28))
    assert list(Qualification.objects.valid_on(dt.date(2026, 1, 1))) == [q]
    q.status = Qualification.Status.PENDING
    q.save()
    assert not q.is_valid_on(dt.date(2026, 1, 1))
    assert list(Qualification.objects.valid_on(dt.date(2026, 1, 1))) == []
    bad = Qualification(officer=officer, qualification_type=saat, issued_on=dt.date(2026, 1, 1),
                        expires_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="before the issue date"):
        bad.full_clean()


def test_mission_history_implies_expertise(client):
    pool = make_pool()
    officer = make_officer(pool)
    make_secondment(officer, make_position(make_mission("EUCAP", countries=["MLI"], themes=["border_management"])))
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    page = client.get(f"/roster/officers/{officer.pk}/").content.decode()
    assert "Mali" in page and "Border management" in page and "EUCAP" in page


def test_secondee_edits_own_profile_and_qualification_waits(client):
    pool = make_pool()
    user = make_user(Role.SECONDEE, pools=[pool])
    officer = make_officer(pool, user=user)
    other = make_officer(pool)
    client.force_login(user)
    response = client.post("/roster/me/", {"profile-email": "me@example.org", "profile-phone": "+31 6",
                                           "profile-emergency_contact_name": "Kin", "profile-emergency_contact_phone": "1",
                                           "profile-available_from": "2027-05-01", "profile-max_duration_months": "12",
                                           **language_rows("profile-languages", [("en", "C1", "C1", "C1"),
                                                                                 ("fr", "B1", "B2", "A2")])})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.email, officer.available_from) == ("me@example.org", dt.date(2027, 5, 1))
    assert sorted((lang.language.code, lang.speaking, lang.reading, lang.writing)
                  for lang in officer.languages.all()) == [("en", 5, 5, 5), ("fr", 3, 4, 2)]
    assert [e.fields for e in AuditEntry.objects.filter(action="update").order_by("id")] == [
        ["available_from", "email", "emergency_contact_name", "emergency_contact_phone", "max_duration_months",
         "phone"], ["languages"]]
    bad = client.post("/roster/me/", {"profile-email": "not-mail", "profile-max_duration_months": "99"})
    assert bad.status_code == 400
    officer.refresh_from_db()
    assert officer.email == "me@example.org"

    saat = QualificationType.objects.get(code="un_saat")
    client.post(f"/roster/officers/{officer.pk}/qualifications/", {
        "qualification-qualification_type": saat.pk, "qualification-issued_on": "2026-10-01",
        "qualification-expires_on": "2028-10-01"})
    pending = Qualification.objects.get(officer=officer)
    assert pending.status == Qualification.Status.PENDING
    # Not for somebody else's record.
    assert client.get(f"/roster/officers/{other.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.update_own_profile(actor=user, officer=other, changes={"email": "x@example.org"})
    with pytest.raises(ValidationError):
        services.update_own_profile(actor=user, officer=officer, changes={"rank_id": 7})

    # A coordinator of another pool cannot confirm; the pool's coordinator can.
    stranger = make_user(Role.COORDINATOR, pools=[make_pool()])
    with pytest.raises(PermissionDenied):
        services.decide_qualification(actor=stranger, qualification=pending, confirm=True)
    coordinator = make_user(Role.COORDINATOR, pools=[pool])
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_qualification(actor=coordinator, qualification=pending, confirm=False)
    client.force_login(coordinator)
    assert "UN assessment" in client.get("/roster/qualifications/pending/").content.decode()
    client.post(f"/roster/qualifications/{pending.pk}/decide/", {"confirm": "1", "reason": ""})
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Qualification.Status.CONFIRMED, coordinator)
    decision = AuditEntry.objects.get(action="decide")
    assert (decision.object_type, decision.object_id, decision.detail["officer_id"]) == (
        "roster.qualification", str(pending.pk), officer.pk)
    assert decision.detail["changes"] == {"status": {"old": "pending", "new": "confirmed"}}


def test_crisis_query_ranks_ready_officers_with_parts():
    pool = make_pool()
    today = dt.date(2027, 3, 1)
    passport = ("passport", dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    expert = make_officer(pool, last_name="Expert", available_from=dt.date(2027, 1, 1), themes=["organised_crime"],
                          skills=[("organised_crime", 4)], languages=[("en", 5, 5, 5)], qualifications=[passport])
    make_secondment(expert, make_position(make_mission(themes=["organised_crime"])))
    novice = make_officer(pool, last_name="Novice", available_from=dt.date(2027, 3, 5), themes=["organised_crime"],
                          languages=[("en", 3, 3, 3)], qualifications=[passport])
    make_officer(pool, last_name="ShortPassport", available_from=dt.date(2027, 1, 1), themes=["organised_crime"],
                 qualifications=[("passport", dt.date(2020, 1, 1), dt.date(2027, 9, 1))])
    make_officer(pool, last_name="Busy", available_from=dt.date(2027, 4, 1), themes=["organised_crime"],
                 qualifications=[passport])
    make_officer(pool, last_name="OtherTheme", available_from=dt.date(2027, 1, 1), themes=["cybercrime"],
                 qualifications=[passport])
    user = make_user(Role.COORDINATOR, pools=[pool])
    theme = ThematicArea.objects.get(code="organised_crime")
    results, total = crisis_candidates(user=user, request=CrisisRequest(
        within_days=10, duration_months=3, theme_id=theme.pk, today=today))
    assert total == 2
    assert [r.officer.pk for r in results] == [expert.pk, novice.pk]
    assert results[0].parts == {"expertise": 30.0, "skill": 10.0, "mission experience": 10.0, "language": 12.5,
                                "readiness margin": 13.2}  # 7.5·69/90 + 7.5
    assert results[0].total == 75.7
    assert results[1].parts["expertise"] == 20.0 and results[1].parts["mission experience"] == 0.0


def test_crisis_page_requires_a_purpose(client):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    response = client.get("/roster/crisis/?within_days=5&duration_months=3")
    assert response.status_code == 400
    assert "Say what the deployment is for" in response.content.decode()
    assert client.get("/roster/crisis/?within_days=-5&duration_months=3").status_code == 400


def test_coordinator_edits_skills_and_languages_in_the_form(client):
    pool = make_pool()
    officer = make_officer(pool, skills=[("training", 2)], languages=[("en", 4, 4, 3)])
    client.force_login(make_user(Role.COORDINATOR, pools=[pool]))
    form = client.get(f"/roster/officers/{officer.pk}/edit/").content.decode()
    assert '<option value="2" selected>2 – working</option>' in form
    assert '<option value="3" selected>B1</option>' in form
    data = {"pool": pool.pk, "service_number": officer.service_number, "first_name": "New", "last_name": "Name",
            "rank": officer.rank_id, "gender": "female", "date_of_birth": "1985-01-01",
            "email": officer.email, "emergency_contact_name": "Next Of Kin",
            "emergency_contact_phone": "+32 2 000 00 00", **skill_rows("skills", [("training", 3), ("forensics", 1)]),
            **language_rows("languages", [("en", "C1", "C1", "C1")])}
    bad = client.post(f"/roster/officers/{officer.pk}/edit/", data | skill_rows("skills", [("training", 9)]))
    assert bad.status_code == 400
    assert "Row 1: level must be one of 1 – basic, 2 – working, 3 – advanced, 4 – expert, not “9”." in (
        bad.content.decode())
    assert officer.skills.get().level == 2
    assert client.post(f"/roster/officers/{officer.pk}/edit/", data).status_code == 302
    assert sorted((s.skill.code, s.level) for s in officer.skills.all()) == [("forensics", 1), ("training", 3)]
    assert [(lang.speaking, lang.reading, lang.writing) for lang in officer.languages.all()] == [(5, 5, 5)]
    entry = AuditEntry.objects.get(action="update")
    assert entry.fields == ["first_name", "languages", "last_name", "skills"]
