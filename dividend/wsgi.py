import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dividend.settings")
application = get_wsgi_application()


def warm_up():
    """Do once, before gunicorn forks its workers (deploy/gunicorn.conf.py, `preload_app`), what every
    worker's first request did: import every view and API module (the URL resolver), the chart
    library and its fonts, the translation catalogues (without their empty fallbacks:
    common.translations). Measured at 2,000 demo officers: a cold worker's
    first request took about 2 s of CPU (1.9-2.2 s for GET /api/pools), a warmed one 14-16 ms; with 5
    workers recycled every 2,000 requests that was 10 s of CPU at each start and 2 s at each recycle.
    Opens no database connection: the workers must not share one."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation

    from dividend.accountability import charts
    from dividend.common.translations import drop_empty_fallbacks

    get_resolver().url_patterns  # noqa: B018 - imports every urls, views and api module
    charts._draw_bars((("", 1),), "", "")  # matplotlib's font cache, once (drawn, not taken from a cache)
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()
    drop_empty_fallbacks()
    connections.close_all()
