"""What every browser test shares: Debian's chromium, launched offline (no background calls to the
internet, which this network refuses), and the marks that skip the test where chromium is missing
(never in CI: there a missing browser fails)."""

import os
import shutil

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
