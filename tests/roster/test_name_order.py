"""Names sort by the rules of the user's language, the same on SQLite and PostgreSQL (issue 9, §2)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dividend.common.collation import collation_name, rules_for, sort_key
from dividend.pools.models import Role
from dividend.roster.models import Officer
from dividend.roster.search import RosterQuery, roster_page, search_officers, sort_order
from dividend.secondments.attention import ending_soon
from dividend.secondments.models import Secondment

from ..factories import (
    complete_sign_in,
    make_mission,
    make_officer,
    make_pool,
    make_position,
    make_secondment,
    make_user,
)

pytestmark = pytest.mark.django_db

GERMAN = ["Zimmermann", "Braun", "Übel", "böhm", "Bauer", "Özdemir", "Ulrich", "Böhm", "Bohm", "Ahrens", "Müller",
          "Mueller", "Muller"]
# German (DIN 5007-1, ICU's root order): an umlaut sorts with its base letter and breaks ties only;
# lower case before upper case at the last tie.
GERMAN_ORDER = ["Ahrens", "Bauer", "Bohm", "böhm", "Böhm", "Braun", "Mueller", "Muller", "Müller", "Özdemir", "Übel",
                "Ulrich", "Zimmermann"]
SWEDISH = ["Zetterberg", "Öberg", "Åberg", "Ahlberg", "Ängström", "Olsson"]
SWEDISH_ORDER = ["Ahlberg", "Olsson", "Zetterberg", "Åberg", "Ängström", "Öberg"]


def test_rules_follow_the_language():
    assert [rules_for(code) for code in ("de", "en-gb", "fr", "nl", "it", "sv", "fi", "cs-cz", None, "")] == [
        "root", "root", "root", "root", "root", "sv", "fi", "cs", "root", "root"]
    assert sorted(GERMAN, key=sort_key) == GERMAN_ORDER
    assert sorted(SWEDISH, key=lambda name: sort_key(name, "sv")) == SWEDISH_ORDER
    assert sorted(["Čapek", "Cibulka", "Chalupa", "Hora", "Dvořák"], key=lambda name: sort_key(name, "cs")) == [
        "Cibulka", "Čapek", "Dvořák", "Hora", "Chalupa"]


def officers_sorted(language, sort="name"):
    user = make_user(Role.COORDINATOR, national=True)
    with translation.override(language):
        return [o.last_name for o in search_officers(user=user, query=RosterQuery(sort=sort))]


def test_the_roster_sorts_german_names_in_german_order_on_this_engine():
    pool = make_pool()
    for name in GERMAN:
        make_officer(pool, last_name=name, first_name="Anna")
    assert officers_sorted("de") == GERMAN_ORDER
    assert officers_sorted("de", sort="-name") == GERMAN_ORDER[::-1]
    assert officers_sorted("en-gb") == GERMAN_ORDER  # English has the same (root) order


def test_swedish_users_see_a_ring_and_umlauts_after_z():
    pool = make_pool()
    for name in SWEDISH:
        make_officer(pool, last_name=name)
    assert officers_sorted("sv") == SWEDISH_ORDER
    assert officers_sorted("de") == ["Åberg", "Ahlberg", "Ängström", "Öberg", "Olsson", "Zetterberg"]


def test_a_page_of_the_roster_and_the_first_names_follow_the_order():
    pool = make_pool()
    for first, last in [("Ömer", "Braun"), ("Olaf", "Braun"), ("Anna", "Böhm"), ("Zoe", "Bauer")]:
        make_officer(pool, first_name=first, last_name=last)
    user = make_user(Role.COORDINATOR, national=True)
    with translation.override("de"):
        page = roster_page(user=user, query=RosterQuery(sort="name"), number=1, page_size=3)
    assert [(o.first_name, o.last_name) for o in page.officers] == [("Zoe", "Bauer"), ("Anna", "Böhm"),
                                                                    ("Olaf", "Braun")]


def test_the_database_orders_as_the_python_key_does():
    """Every engine's collation (ICU on PostgreSQL, the Python one on SQLite) gives sort_key's order."""
    pool = make_pool()
    names = GERMAN + SWEDISH + ["Élise", "Elise", "ELISE", "Ørsted", "Øhlenschläger", "Šimek", "Szabo"]
    for name in names:
        make_officer(pool, last_name=name)
    for language, rules in (("de", "root"), ("sv", "sv")):
        collation = connection.ops.quote_name(collation_name(language))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_name FROM roster_officer ORDER BY last_name COLLATE {collation}, id")  # noqa: S608
            stored = [row[0] for row in cursor.fetchall()]
        assert stored == sorted(names, key=lambda name, rules=rules: sort_key(name, rules)), language


def test_the_name_sort_walks_the_collated_index_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    sql, params = Officer.objects.order_by(*sort_order("name")).values("id")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "officer_name_collated" in plan and "TEMP B-TREE" not in plan, plan


@given(st.lists(st.text(alphabet="abcABCäöüÄÖÜåéèßčřšž -'", min_size=1, max_size=8), min_size=2, max_size=8))
def test_the_sqlite_collation_agrees_with_the_key(names):
    import sqlite3

    from dividend.common.collation import register_sqlite_collations

    db = sqlite3.connect(":memory:")
    register_sqlite_collations(db)
    db.execute("CREATE TABLE t (name TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(name,) for name in names])
    for rules in ("root", "sv", "cs"):
        stored = [row[0] for row in db.execute(f"SELECT name FROM t ORDER BY name COLLATE dividend_{rules}")]
        assert stored == sorted(names, key=lambda name, rules=rules: sort_key(name, rules))


# --- Other lists that order officers by name (issue 9): the same rules as the roster's sort ---------

def _names_in(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_the_secondment_list_orders_officers_of_one_start_date_by_name(client):
    pool = make_pool("bpol")
    position = make_position(make_mission("EUTEST"))
    for last in ["Braun", "Zimmermann", "Böhm", "Ahrens"]:
        make_secondment(make_officer(pool, last_name=last), position, start=dt.date(2026, 3, 1))
    user = make_user(Role.COORDINATOR, pools=[pool])
    client.force_login(user)
    complete_sign_in(client, user)
    page = client.get("/secondments/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert _names_in(page, ["Braun", "Zimmermann", "Böhm", "Ahrens"]) == ["Ahrens", "Böhm", "Braun", "Zimmermann"]


def test_the_start_pages_ending_soon_list_orders_officers_of_one_end_date_by_name():
    pool = make_pool("bpol")
    position = make_position(make_mission("EUTEST"))
    today = dt.date.today()
    for last in ["Braun", "Böhm", "Bauer"]:
        make_secondment(make_officer(pool, last_name=last), position, status=Secondment.Status.DEPLOYED,
                        start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=20))
    user = make_user(Role.COORDINATOR, pools=[pool])
    assert [s.officer.last_name for s in ending_soon(user, today=today).select_related("officer")] == [
        "Bauer", "Böhm", "Braun"]
