from django.urls import path

from . import views

app_name = "careers"
urlpatterns = [
    path("", views.career_list, name="list"),
    path("secondments/<int:pk>/", views.career_detail, name="detail"),
    path("secondments/<int:pk>/plan/", views.plan_edit, name="plan"),
    path("secondments/<int:pk>/plan/confirm/", views.plan_confirm, name="confirm"),
    path("secondments/<int:pk>/plan/review/", views.plan_review, name="review"),
    path("secondments/<int:pk>/debriefing/", views.debriefing_edit, name="debriefing"),
    path("secondments/<int:pk>/appraisal/<str:stage>/<str:rater>/", views.appraisal_edit, name="appraisal"),
    path("secondments/<int:pk>/follow-up/", views.follow_up_edit, name="follow_up"),
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/place/", views.vacancy_place, name="place"),
    path("kpis/", views.kpi_page, name="kpis"),
    path("kpis/export.<str:fmt>", views.kpi_export, name="kpi_export"),
    path("returnees/", views.returnee_pool, name="returnees"),
]
