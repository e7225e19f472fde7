from django.urls import path

from . import attachment_views, offline_views, product_views, search_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("requirements/", views.requirement_list, name="requirements"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/attachments/<int:attachment_pk>/", attachment_views.attachment_download, name="attachment"),
    path("<int:pk>/feedback/", product_views.report_feedback, name="feedback"),
    path("products/", product_views.product_list, name="products"),
    path("products/new/", product_views.product_new, name="product_new"),
    path("products/<int:pk>/", product_views.product_detail, name="product"),
    path("products/<int:pk>/sections/", product_views.product_section, name="product_section"),
    path("products/<int:pk>/audiences/", product_views.product_audiences, name="product_audiences"),
    path("products/<int:pk>/marking/", product_views.product_marking, name="product_marking"),
    path("products/<int:pk>/move/", product_views.product_move, name="product_move"),
    path("products/<int:pk>/pdf/", product_views.product_pdf, name="product_pdf"),
    path("products/<int:pk>/stix/", product_views.product_stix, name="product_stix"),
    path("audiences/", product_views.audience_list, name="audiences"),
    path("funnel/", product_views.funnel_page, name="funnel"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("search/", search_views.report_search, name="search"),
]

# Triage (reports.triage_views): the queue, a report's triage page, suggestions, the theme vocabulary.
from . import triage_views  # noqa: E402

urlpatterns += [
    path("triage/", triage_views.triage_queue, name="triage"),
    path("triage/bulk/", triage_views.triage_bulk, name="triage_bulk"),
    path("<int:pk>/triage/", triage_views.triage_report, name="triage_report"),
    path("<int:pk>/triage/release/", triage_views.triage_release, name="triage_release"),
    path("<int:pk>/assign/", triage_views.triage_assign, name="triage_assign"),
    path("<int:pk>/comments/", triage_views.triage_comment, name="triage_comment"),
    path("suggest/", triage_views.suggest, name="suggest"),
    path("themes/", triage_views.theme_list, name="themes"),
    path("themes/misp.json", triage_views.theme_export, name="themes_export"),
]

# Near-duplicates (reports.duplicate_views, issue 12 §4).
from . import duplicate_views  # noqa: E402 - near-duplicates (issue 12 §4)

urlpatterns.append(path("<int:pk>/duplicates/", duplicate_views.report_duplicate, name="duplicate"))

from . import monthly_views  # noqa: E402 - the monthly mission report and debriefing pages (issue 12 §7–8)

urlpatterns += [
    path("monthly/", monthly_views.monthly_list, name="monthly_list"),
    path("monthly/new/", monthly_views.monthly_new, name="monthly_new"),
    path("monthly/<int:pk>/", monthly_views.monthly_detail, name="monthly"),
    path("monthly/<int:pk>/edit/", monthly_views.monthly_edit, name="monthly_edit"),
    path("monthly/<int:pk>/move/", monthly_views.monthly_move, name="monthly_move"),
    path("monthly/<int:pk>/pdf/", monthly_views.monthly_pdf, name="monthly_pdf"),
    path("debriefings/", monthly_views.debriefing_list, name="debriefings"),
    path("debriefings/new/", monthly_views.debriefing_new, name="debriefing_new"),
    path("debriefings/<int:pk>/", monthly_views.debriefing_detail, name="debriefing"),
]
