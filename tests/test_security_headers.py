"""Browser security headers: the Content Security Policy (no inline script or style), no caching of
pages and API answers, and templates and charts that need no inline code."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from dividend.pools.models import Role
from dividend.priorities.charts import contribution_bars

from .factories import make_user

pytestmark = pytest.mark.django_db

PACKAGE = Path(settings.PACKAGE_DIR)
# Rendered to PDF by WeasyPrint on the server, never sent to a browser.
# Rendered by WeasyPrint into PDF bytes only (html_pdf_bytes), never answered as a page.
NOT_SERVED = {PACKAGE / "common/templates/common/table_pdf.html", PACKAGE / "common/templates/common/tables_pdf.html",
              PACKAGE / "accountability/templates/accountability/parliament_pdf.html"}


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def coordinator_client(client):
    client.force_login(make_user(Role.COORDINATOR, national=True))
    return client


def test_pages_allow_scripts_and_styles_from_this_server_only(coordinator_client):
    csp = policy(coordinator_client.get("/roster/"))
    assert (csp["script-src"], csp["style-src"], csp["default-src"]) == (["'self'"], ["'self'"], ["'self'"])


def test_policy_has_no_unsafe_keyword(coordinator_client):
    header = coordinator_client.get("/roster/")["Content-Security-Policy"]
    assert "unsafe" not in header


def test_policy_forbids_framing_plugins_and_base_changes(coordinator_client):
    csp = policy(coordinator_client.get("/roster/"))
    assert (csp["frame-ancestors"], csp["object-src"], csp["base-uri"]) == (["'none'"], ["'none'"], ["'none'"])


def test_api_answer_carries_the_policy(coordinator_client):
    assert policy(coordinator_client.get("/api/pools"))["script-src"] == ["'self'"]


def test_page_is_not_stored_by_caches(coordinator_client):
    assert "no-store" in coordinator_client.get("/roster/")["Cache-Control"].split(", ")


def test_api_answer_is_not_stored_by_caches(coordinator_client):
    assert "no-store" in coordinator_client.get("/api/officers")["Cache-Control"].split(", ")


def test_error_answer_is_not_stored_by_caches(client):
    # An anonymous API call answers 401: whatever the status, nothing of Dividend is cached.
    response = client.get("/api/officers")
    assert (response.status_code, "no-store" in response["Cache-Control"]) == (401, True)


def test_static_files_keep_their_caching(client):
    response = client.get("/static/dividend/dividend.css")
    assert (response.status_code, "no-store" in response.get("Cache-Control", "")) == (200, False)


def test_permissions_policy_turns_off_unused_browser_features(client):
    assert client.get("/login/")["Permissions-Policy"] == settings.DIVIDEND_PERMISSIONS_POLICY


INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)),
    ("style element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def served_templates():
    return sorted(path for path in PACKAGE.rglob("templates/**/*.html") if path not in NOT_SERVED)


def test_templates_are_found():
    # The check below must not pass for want of templates.
    assert len(served_templates()) > 30


@pytest.mark.parametrize("name, pattern", INLINE, ids=[name for name, _ in INLINE])
def test_no_template_writes_inline_code(name, pattern):
    found = [f"{path.relative_to(PACKAGE)}:{text[:m.start()].count(chr(10)) + 1}"
             for path in served_templates() for text in [path.read_text()] for m in pattern.finditer(text)]
    assert found == []


def test_charts_carry_no_inline_style():
    svg = contribution_bars([("Crime", 0.4), ("Fragility", -0.1)], title="Country")
    assert ("style=" in svg, "<style" in svg) == (False, False)


def test_charts_keep_their_colours_as_attributes():
    svg = contribution_bars([("Crime", 0.4), ("Fragility", -0.1)], title="Country")
    assert ('fill="#1f5f99"' in svg, 'fill="#b03a2e"' in svg) == (True, True)


def test_htmx_injects_no_indicator_style(coordinator_client):
    # htmx would add an inline <style> for its indicators, which the policy refuses; dividend.css has them.
    html = coordinator_client.get("/roster/").content.decode()
    assert '"includeIndicatorStyles": false' in html
