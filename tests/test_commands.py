"""Management commands: the same domain functions as the views, clear errors on bad input."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dividend.audit.models import AuditEntry
from dividend.missions.models import Mission
from dividend.pools.models import ApiToken, Role
from dividend.roster.imports import COLUMNS
from dividend.roster.models import Officer

from .factories import make_pool, make_user

pytestmark = pytest.mark.django_db


def test_load_missions_is_idempotent(capsys):
    call_command("load_missions")
    call_command("load_missions")
    assert capsys.readouterr().out.splitlines() == ["113 missions, 16 job descriptions"] * 2
    minusma = Mission.objects.get(acronym="MINUSMA")
    assert (minusma.status, str(minusma.end_date)) == ("closed", "2023-12-31")
    assert [c.iso3 for c in minusma.host_countries.all()] == ["MLI"]
    assert [c.iso3 for c in Mission.objects.get(acronym="EULEX Kosovo").host_countries.all()] == ["XKX"]
    assert Mission.objects.filter(organisation="un").count() == 77
    assert Mission.objects.filter(host_countries=None).count() == 0


def test_import_command(tmp_path, capsys):
    pool = make_pool("alpha")
    make_user(Role.COORDINATOR, pools=[pool], username="coord")
    good = tmp_path / "good.csv"
    good.write_text(",".join(COLUMNS) + "\nalpha,A-1,Ann,Ek,inspector,female,1980-01-01" + "," * 11 + "\n")
    call_command("import_officers", str(good), "--actor", "coord")
    assert "Imported: 1 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert AuditEntry.objects.get(action="create").channel == "cli"
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(COLUMNS) + "\nalpha,A-2,Bo,Ek,inspector,female,1980-02-31" + "," * 11 + "\n")
    with pytest.raises(CommandError, match=r"Nothing imported: 1 problem"):
        call_command("import_officers", str(bad), "--actor", "coord")
    assert "line 2: date_of_birth: Enter a valid date (year-month-day, e.g. 2027-03-01)." in capsys.readouterr().err
    assert Officer.objects.count() == 1
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("import_officers", str(good), "--actor", "ghost")
    with pytest.raises(CommandError, match="No file"):
        call_command("import_officers", str(tmp_path / "missing.csv"), "--actor", "coord")
    # National roles that read the roster but do not edit it get a clear refusal, not a traceback.
    make_user(Role.ANALYST, national=True, username="analyst")
    with pytest.raises(CommandError, match="User 'analyst' may not import officers"):
        call_command("import_officers", str(good), "--actor", "analyst")
    assert Officer.objects.count() == 1


def test_import_rows_are_checked_with_the_edit_permission():
    from dividend.roster.imports import import_officers

    pool = make_pool("alpha")
    policy = make_user(Role.POLICY_OFFICER, national=True)
    content = (",".join(COLUMNS) + "\nalpha,A-1,Ann,Ek,inspector,female,1980-01-01" + "," * 11 + "\n").encode()
    report = import_officers(actor=policy, filename="officers.csv", content=content)
    assert report.errors == [(2, "pool: you may not import officers into pool 'alpha'")]
    assert Officer.objects.count() == 0
    hr = make_user(Role.HR_MANAGER, pools=[pool])
    assert import_officers(actor=hr, filename="officers.csv", content=content).created == 1


def test_create_api_token(client, capsys):
    user = make_user(Role.COORDINATOR, national=True, username="scripter")
    call_command("create_api_token", "scripter", "nightly sync")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().key_hash == ApiToken.hash_key(key)
    assert client.get("/api/pools", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert user.api_tokens.count() == 1
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "x")


def test_roster_page_keeps_chosen_filters(client):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    from dividend.reference.models import Country, Language, Skill

    skill, language = Skill.objects.get(code="forensics"), Language.objects.get(code="fr")
    mali = Country.objects.get(iso3="MLI")
    page = client.get(f"/roster/?skill={skill.pk}&skill_level=3&language={language.pk}&language_level=C1"
                      f"&country={mali.pk}")
    html = page.content.decode()
    assert f'<option value="{mali.pk}" selected>Mali</option>' in html
    assert f'<option value="{skill.pk}" selected>Forensics</option>' in html
    assert '<option value="3" selected>≥ 3 – advanced</option>' in html
    assert '<option value="C1" selected>≥ C1</option>' in html
    # Multiple-choice filters stay multiple (a single select would submit its first option unasked).
    from dividend.reference.models import ThematicArea

    themes = list(ThematicArea.objects.order_by("name")[:2])
    html = client.get(f"/roster/?theme={themes[0].pk}&theme={themes[1].pk}&gender=female&gender=other"
                      "&min_rank=3&sort=-rank&region=Sub-Saharan%20Africa").content.decode()
    for name in ("country", "theme", "qualification", "pool", "gender"):
        assert f'<select name="{name}" id="id_{name}" multiple>' in html
    for name in ("region", "min_rank", "sort"):
        assert f'<select name="{name}" id="id_{name}">' in html
    for theme in themes:
        assert f'<option value="{theme.pk}" selected>{theme.name}</option>' in html
    assert '<option value="female" selected>Female</option><option value="male">Male</option>' in html
    assert '<option value="other" selected>Other</option>' in html
    assert '<option value="-rank" selected>Rank, highest first</option>' in html
    assert '<option value="Sub-Saharan Africa" selected>Sub-Saharan Africa</option>' in html
    # Nothing else is chosen for the user, apart from the default level of the 3 + 2 empty skill and language rows
    # and the page's language in the header's switcher.
    assert html.count(" selected>") == 7 + 5 + 1
    bad = client.get("/roster/?skill=zzz")
    assert bad.status_code == 400 and "Check the filters" in bad.content.decode()
