"""The theme vocabulary in the MISP taxonomy JSON format (issue 12 §1): export, import all or
nothing with every bad entry reported, the round trip, the command and the page."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dividend.audit.models import AuditEntry
from dividend.reference.models import ThematicArea
from dividend.reference.taxonomy import THEME_CODES
from dividend.reports import taxonomy

from .test_reports import signed_in

pytestmark = pytest.mark.django_db


def vocabulary():
    return sorted(ThematicArea.objects.values_list("code", "name"))


def misp(*predicates, **top):
    return json.dumps({"namespace": "partner-themes", "description": "Partner", "version": 3,
                       "predicates": list(predicates)} | top)


def test_the_export_is_a_flat_misp_taxonomy_of_every_theme():
    exported = taxonomy.export_taxonomy()
    assert (exported["namespace"], exported["version"], "values" in exported) == ("dividend-theme", 1, False)
    assert [(p["value"], p["expanded"]) for p in exported["predicates"]] == sorted(
        ThematicArea.objects.values_list("code", "name"))
    assert {p["value"] for p in exported["predicates"]} == set(THEME_CODES)


def test_the_round_trip_changes_nothing(world):
    before = vocabulary()
    result = taxonomy.import_taxonomy(actor=world["users"]["national_analyst"], content=taxonomy.export_json())
    assert (result.created, result.renamed, len(result.unchanged), result.kept) == ([], [], len(before), [])
    assert vocabulary() == before
    assert json.loads(taxonomy.export_json()) == taxonomy.export_taxonomy()


def test_an_imported_theme_is_added_and_goes_out_again_in_the_export(world):
    user = world["users"]["national_analyst"]
    result = taxonomy.import_taxonomy(actor=user, content=misp(
        {"value": "wildlife-crime", "expanded": "Wildlife crime", "description": "Poaching and trade"},
        {"value": "drugs", "expanded": "Drugs"}))
    assert (result.created, result.unchanged) == (["wildlife_crime"], ["drugs"])
    assert len(result.kept) == len(THEME_CODES) - 1
    assert ThematicArea.objects.get(code="wildlife_crime").name == "Wildlife crime"
    exported = {p["value"]: p["expanded"] for p in taxonomy.export_taxonomy()["predicates"]}
    assert exported["wildlife_crime"] == "Wildlife crime"
    again = taxonomy.import_taxonomy(actor=user, content=taxonomy.export_json())
    assert (again.created, again.renamed) == ([], [])
    assert AuditEntry.objects.filter(object_type="reference.thematicarea", action="import").count() == 2


def test_an_imported_theme_may_be_renamed_a_shipped_one_not(world):
    user = world["users"]["national_analyst"]
    taxonomy.import_taxonomy(actor=user, content=misp({"value": "wildlife", "expanded": "Wildlife"}))
    result = taxonomy.import_taxonomy(actor=user, content=misp({"value": "wildlife", "expanded": "Wildlife crime"}))
    assert result.renamed == ["wildlife"]
    with pytest.raises(taxonomy.TaxonomyRefused) as refused:
        taxonomy.import_taxonomy(actor=user, content=misp({"value": "drugs", "expanded": "Narcotics"}))
    assert refused.value.problems == [("predicates[0].expanded", 'drugs is a shipped theme named "Drugs"; shipped '
                                       "themes are renamed in the data file (thematic_areas.csv), not by an import.")]
    assert ThematicArea.objects.get(code="drugs").name == "Drugs"


def test_every_bad_entry_is_reported_and_nothing_is_stored(world):
    before = vocabulary()
    content = json.dumps({"namespace": "Bad Space", "version": "two", "values": [{"predicate": "x", "entry": []}],
                          "predicates": [
                              {"value": "good_one", "expanded": "Good one"},
                              {"value": "9lives", "expanded": "Nine"},
                              {"value": "no_name", "expanded": ""},
                              {"value": "markup", "expanded": "<b>Bold</b>"},
                              "not an object",
                              {"value": "good_one", "expanded": "Again"},
                          ]})
    with pytest.raises(taxonomy.TaxonomyRefused) as refused:
        taxonomy.import_taxonomy(actor=world["users"]["national_analyst"], content=content)
    assert [where for where, _message in refused.value.problems] == [
        "namespace", "version", "values", "predicates[1].value", "predicates[2].expanded",
        "predicates[3].expanded", "predicates[4]", "predicates[5].value"]
    assert dict(refused.value.problems)["predicates[5].value"] == "good_one appears twice (also predicates[0])."
    assert vocabulary() == before
    assert not AuditEntry.objects.filter(object_type="reference.thematicarea").exists()


@pytest.mark.parametrize("content, message", [
    (b"{not json", "Not JSON: Expecting property name enclosed in double quotes (line 1, column 2)."),
    (b"[1, 2]", "A MISP taxonomy is a JSON object with namespace and predicates."),
    (b"\xff\xfe", "The file is not UTF-8 text."),
    (b" " * (taxonomy.MAX_BYTES + 1), "The file is larger than 1 MB."),
    # Valid JSON that Python will not read: these were 500s on the themes page.
    (b"[" * 100_000 + b"]" * 100_000, "Not a readable MISP taxonomy: a number is too long or the JSON nests too deep."),
    (b'{"namespace": "x", "version": ' + b"9" * 5000 + b"}",
     "Not a readable MISP taxonomy: a number is too long or the JSON nests too deep."),
])
def test_a_file_that_is_no_misp_json_is_refused(world, content, message):
    with pytest.raises(taxonomy.TaxonomyRefused) as refused:
        taxonomy.import_taxonomy(actor=world["users"]["national_analyst"], content=content)
    assert refused.value.problems == [("", message)]


def test_no_predicates_is_refused(world):
    with pytest.raises(taxonomy.TaxonomyRefused) as refused:
        taxonomy.import_taxonomy(actor=world["users"]["national_analyst"], content='{"namespace": "x"}')
    assert refused.value.problems == [("predicates", "Give the themes as a list of predicates.")]


def test_a_pool_analyst_does_not_change_the_vocabulary(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        taxonomy.import_taxonomy(actor=world["users"]["analyst"], content=taxonomy.export_json())


def test_the_command_exports_and_imports(world, tmp_path, capsys):
    out = tmp_path / "themes.json"
    call_command("theme_taxonomy", "export", "--output", str(out))
    assert json.loads(out.read_text())["namespace"] == "dividend-theme"
    data = json.loads(out.read_text())
    data["predicates"].append({"value": "wildlife", "expanded": "Wildlife"})
    out.write_text(json.dumps(data))
    call_command("theme_taxonomy", "import", str(out), "--actor", "anan")
    assert "Imported: 1 new, 0 renamed" in capsys.readouterr().out
    assert ThematicArea.objects.filter(code="wildlife").exists()


def test_the_command_lists_every_problem_and_imports_nothing(world, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(misp({"value": "A B"}, {"value": "ok_one", "expanded": "x" * 101}))
    with pytest.raises(CommandError, match="Nothing imported: 2 problem"):
        call_command("theme_taxonomy", "import", str(bad), "--actor", "anan")
    errors = capsys.readouterr().err
    assert "predicates[0].value" in errors and "predicates[1].expanded" in errors
    assert not ThematicArea.objects.filter(code="ok_one").exists()


def test_the_page_imports_and_shows_every_problem(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(client, world["users"]["national_analyst"])
    export = client.get("/reports/themes/misp.json")
    assert export["Content-Disposition"] == 'attachment; filename="dividend-theme.machinetag.json"'
    bad = client.post("/reports/themes/", {"file": SimpleUploadedFile("t.json", b'{"predicates": [{"value": 1}]}')})
    assert bad.status_code == 400
    assert "predicates[0].value" in bad.content.decode() and "Nothing was imported" in bad.content.decode()
    good = client.post("/reports/themes/", {"file": SimpleUploadedFile("t.json", misp(
        {"value": "wildlife", "expanded": "Wildlife"}).encode())})
    assert good.status_code == 302
    assert ThematicArea.objects.filter(code="wildlife").exists()
