"""What every browser test shares: Debian's chromium, launched offline (no background calls to the
internet, which this network refuses), and the marks that skip the test where chromium is missing
(never in CI: there a missing browser fails)."""

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                       reason="Debian's chromium is not installed (python3 dev.py test installs it as root)"),
]


def launch(playwright):
    """A headless chromium from a `sync_playwright()` context."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


PASSWORD = "Secret-pass-42-long"


def new_page(browser, live_server, **options):
    """A page (in a context of its own) whose relative addresses go to the test server, as `sign_in`
    needs: `options` are Playwright's `new_context` options (viewport, accept_downloads, locale...)."""
    return browser.new_context(base_url=live_server.url, **options).new_page()


def sign_in(page, user, *, next_url="/"):
    """Sign `user` in on `page` (opened with a `base_url`, see `new_page`) as a person does, the demo's
    way: username and password on the login page, then, where the user's roles need a second factor,
    the current code of their authenticator app (a new one each time: a code is accepted once). Sets
    the user's password to PASSWORD first. Waits until the browser is at `next_url`."""
    from dividend.accounts.access import requires_second_factor

    from .factories import current_code, make_authenticator

    user.set_password(PASSWORD)
    user.save()
    device = make_authenticator(user) if requires_second_factor(user) else None
    page.goto(f"/login/?next={next_url}" if next_url != "/" else "/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/account/second-factor/verify/**")
        page.fill("#id_code", current_code(device))
        page.click("main button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == next_url)
    return page
