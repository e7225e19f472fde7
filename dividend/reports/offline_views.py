"""The report form as a progressive web app (issue 12 §3): a web app manifest and a service worker
that keeps the form and its static files on the phone, so the form opens without a connection.
Drafts are kept and sent by static/reports/drafts.js (through the API, once per draft key).

Both answers hold no personal data (addresses of static files only), so both are public: the
browser fetches the manifest without cookies, and checks the worker for updates whether or not
someone is signed in. The worker caches the form page for the signed-in secondee only when the
server gives it to them (a 200, not a redirect to the login page)."""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The files the form needs, kept by the worker (the page's own address is kept too).
ASSETS = ("dividend/dividend.css", "dividend/dividend.js", "dividend/favicon.svg", "reports/drafts.js")


def _version() -> str:
    """Changes whenever a kept file does: the browser installs the new worker, which drops the old cache."""
    digest = hashlib.sha256()
    for name in ASSETS:
        digest.update(static(name).encode())
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    body = render_to_string("reports/sw.js", {
        "version": _version(), "page": reverse("reports:new"),
        "assets": json.dumps([static(name) for name in ASSETS])})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("reports:list")
    return response


@require_GET
def manifest(request):
    body = {"name": _("Dividend field reports"), "short_name": _("Reports"), "start_url": reverse("reports:new"),
            "scope": reverse("reports:list"), "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#1f3a5f",
            "icons": [{"src": static("dividend/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}]}
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")
