"""Translations (issue 9, section 4): every user-visible string of a template is marked for
translation, and every shipped catalogue compiles to the .mo file in git, complete.

The template check reads each template with Django's own lexer: outside `{% translate %}` and
`{% blocktranslate %}`, no text between tags, no user-visible attribute (title, placeholder, alt,
aria-label, value of a button) and no string argument of a filter (`default:"never"`) may contain
a letter, and English-only plural filters (`pluralize`, `yesno` with words) are refused: a
`{% blocktranslate count %}` says it in every language. `ALLOWED` lists the few words that are the
same in every language (the product's name, format names).
"""

import ast
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR) / "dividend"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))
LOCALE = ROOT / "locale"
LANGUAGES = ["de", "fr", "nl"]

# The same in every language: names and codes, not words.
ALLOWED = {"Dividend", "CSV", "XLSX", "PDF", "JSON", "API", "UTC", "ISO3", "YAML", "v", "OK", "TOTP",
           "FreeOTP", "Google Authenticator", "Microsoft Authenticator", "ISO 3166", "CEFR", "Swagger",
           "roster.officer", "A", "B"}  # an object type as the audit filter takes it
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "label"}
LETTER = re.compile(r"[^\W\d_]")
# Filters whose string argument is a format, not words.
FORMAT_FILTERS = {"date", "time", "floatformat", "stringformat", "slice", "join", "cut", "default_if_none", "add",
                  "truncatechars", "truncatewords", "first", "widthratio", "urlencode"}


def words(text):
    text = " ".join(text.split())
    return text if LETTER.search(text) and text.strip(" ·–—-:,;()[]/|#…→←▲▼+%.≥") not in ALLOWED else None


class VisibleText(HTMLParser):
    """Text and visible attributes of an HTML fragment (script and style contents are code)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.code = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.code += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and any(map(words, value.split("\x01"))):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.code -= 1

    def handle_data(self, data):
        if not self.code:
            self.found.extend(filter(None, map(words, data.split("\x01"))))


def unmarked(source: str) -> list[str]:
    """The user-visible strings of a template that are not marked for translation."""
    found, html, inside = [], [], None

    def flush():
        # Tags may span tokens ({% if %} inside a start tag): parse the HTML of a run of text at once,
        # with template variables and tags standing as a neutral placeholder.
        parser = VisibleText()
        parser.feed("".join(html))
        parser.close()
        found.extend(parser.found)
        html.clear()

    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if inside:
                if name == inside:
                    inside = None
                continue
            if name in ("blocktranslate", "blocktrans"):
                inside = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
            elif name == "comment":
                inside = "endcomment"
            elif name in ("verbatim",):
                inside = "endverbatim"
            html.append("\x01")
        elif token.token_type == TokenType.TEXT:
            if not inside:
                html.append(token.contents)
        elif token.token_type == TokenType.VAR:
            if inside:
                continue
            html.append("\x01")
            found.extend(unmarked_in_variable(token.contents))
    flush()
    return found


def unmarked_in_variable(contents: str) -> list[str]:
    found = []
    for name, argument in re.findall(r'\|(\w+)(?::("[^"]*"|\'[^\']*\'))?', contents):
        if name == "pluralize":
            found.append(f"|{name} (English plural: use blocktranslate count)")
        elif argument and name not in FORMAT_FILTERS and words(argument[1:-1].replace(",", " ")):
            found.append(f"|{name}:{argument}")
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_visible_string_of_a_template_is_marked_for_translation(template):
    assert unmarked(template.read_text()) == []


def test_the_checker_finds_unmarked_strings():
    assert unmarked('{% load i18n %}<h1>Missions</h1><p title="Help">{% translate "Fine" %}</p>') == [
        "Missions", 'title="Help"']
    assert unmarked('<td>{{ x|default:"never" }}</td><td>{{ n }} row{{ n|pluralize }}</td>') == [
        '|default:"never"', "|pluralize (English plural: use blocktranslate count)", "row"]
    assert unmarked('{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<style>p { color: red }</style>'
                    '{# a comment #}{% comment %}Not shown{% endcomment %}<td>{{ d|date:"Y-m-d" }} · 3</td>') == []


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], and whether fuzzy
    (a small reader: the catalogues are written by makemessages, one keyword per line)."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = entry.get("fuzzy") or "fuzzy" in line
            entry["python_format"] = "python-format" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


def translations(entry) -> list[str]:
    return [entry[k] for k in sorted(entry) if k.startswith("msgstr")]


def coverage(language) -> tuple[int, int]:
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    return sum(1 for e in entries if all(translations(e)) and not e.get("fuzzy")), len(entries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_is_complete_and_its_mo_file_up_to_date(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = read_po(po_path)
    assert [e["msgid"] for e in entries if not all(translations(e)) or e.get("fuzzy")] == []
    expected = {}
    for e in entries:
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for k in e:
                if k.startswith("msgstr["):
                    expected[(key, int(k[7:-1]))] = e[k]
        else:
            expected[key] = e["msgstr"]
    with po_path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    assert {k: v for k, v in compiled.items() if k != ""} == expected


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_keeps_the_placeholders_of_its_source(language):
    """A %-formatted string whose translation drops, adds or misspells a placeholder fails at run time
    (KeyError, 'not enough arguments'): each python-format translation has the msgid's placeholders (a
    plural's singular may name the number in words)."""
    wrong = []
    for e in read_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if not e.get("python_format"):
            continue
        if "msgid_plural" in e:
            source = placeholders(e["msgid_plural"])
            forms = [e[k] for k in sorted(e) if k.startswith("msgstr[")]
            if any(placeholders(f) != source for f in forms[1:]) or not set(placeholders(forms[0])) <= set(source):
                wrong.append(e["msgid"])
        elif placeholders(e["msgstr"]) != placeholders(e["msgid"]):
            wrong.append(e["msgid"])
    assert wrong == []


def test_the_placeholder_check_reads_percent_formats():
    assert placeholders("%(n)s of %(of)s, 40 %% women, %d rows") == ["%%", "%(n)s", "%(of)s", "%d"]


# --------------------------------------------------------------------------- in use

@pytest.mark.django_db
def test_the_switcher_sets_the_language_of_every_page(client):
    from dividend.pools.models import Role

    from .factories import complete_sign_in, make_mission, make_position, make_user

    user = make_user(Role.ANALYST, national=True)
    client.force_login(user)
    complete_sign_in(client, user)
    make_position(make_mission("EUTEST"), duration_months=12)
    page = client.get("/missions/").content.decode()
    assert '<html lang="en-gb">' in page and "<h1>Missions</h1>" in page
    assert '<form method="post" action="/i18n/setlang/" class="inline" id="language">' in page
    answer = client.post("/i18n/setlang/", {"language": "de", "next": "/missions/"})
    assert (answer.status_code, answer["Location"]) == (302, "/missions/")
    page = client.get("/missions/").content.decode()
    assert '<html lang="de">' in page and "<h1>Missionen</h1>" in page
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    page = client.get("/missions/positions/").content.decode()
    assert "<h1>Functies</h1>" in page and "1 functie" in page and "12" in page


@pytest.mark.django_db
def test_the_browser_language_applies_until_one_is_chosen(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9").content.decode()
    assert '<html lang="fr">' in page and "<h1>Se connecter</h1>" in page
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fi,sv;q=0.8").content.decode()
    assert '<html lang="en-gb">' in page and "<h1>Log in</h1>" in page


@pytest.mark.parametrize(("language", "number", "when"), [
    ("en-gb", "1,234.5", "01/12/2026 18:30"), ("de", "1.234,5", "01.12.2026 18:30"),
    ("fr", "1\xa0234,5", "01/12/2026 18:30"), ("nl", "1.234,5", "1-12-2026 18:30")])
def test_dates_and_numbers_follow_the_language(language, number, when):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load humanize %}{{ n|floatformat:"1g" }} {{ t|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override(language):
        text = template.render(Context({"n": 1234.5, "t": dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC)}))
    assert text == f"{number} {when}"


def test_coverage_per_language_is_complete():
    assert {language: coverage(language)[0] == coverage(language)[1] for language in LANGUAGES} == {
        "de": True, "fr": True, "nl": True}
