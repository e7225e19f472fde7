from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from dividend.accounts import views as account_views
from dividend.api import api, no_such_endpoint
from dividend.site import views as site_views

# A database that does not answer is a 503 with Retry-After, not a 500 (docs/operations.md).
handler500 = "dividend.common.unavailable.server_error"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("dividend.accounts.urls")),
    path("roster/", include("dividend.roster.urls")),
    path("missions/", include("dividend.missions.urls")),
    path("secondments/", include("dividend.secondments.urls")),
    path("audit/", include("dividend.audit.urls")),
    path("priorities/", include("dividend.priorities.urls")),
    path("selection/", include("dividend.selection.urls")),
    path("reports/", include("dividend.reports.urls")),
    path("care/", include("dividend.care.urls")),
    path("preparation/", include("dividend.preparation.urls")),
    path("alerts/", include("dividend.alerts.urls")),
    path("careers/", include("dividend.careers.urls")),
    path("targets/", include("dividend.targets.urls")),
    path("commitments/", include("dividend.commitments.urls")),
    path("performance/", include("dividend.performance.urls")),
    path("accountability/", include("dividend.accountability.urls")),
    path("tokens/", include("dividend.pools.urls")),
    # The language switcher in the header posts here (Django's set_language: a cookie, then back).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
    # Ahead of ninja's own root view (a bare Django 404 page) and after its routes: the error body.
    path("api/", no_such_endpoint),
    path("api/", api.urls),
    re_path(r"^api/", no_such_endpoint),
]
