from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("", views.board, name="board"),
    path("officers/", views.care_officers, name="officers"),
    path("officers/<int:pk>/", views.care_officers_set, name="officers_set"),
    path("contingents/", views.contingent_list, name="contingents"),
    path("contingents/<int:mission_id>/leader/", views.contingent_leader, name="contingent_leader"),
    path("secondments/<int:pk>/", views.secondment_care, name="secondment"),
    path("secondments/<int:pk>/contacts/", views.contact_new, name="contact_new"),
    path("secondments/<int:pk>/desk-officer/", views.desk_officer, name="desk_officer"),
    path("secondments/<int:pk>/leave/", views.leave_new, name="leave_new"),
    path("secondments/<int:pk>/incidents/", views.incident_new, name="incident_new"),
    path("secondments/<int:pk>/appraisals/", views.appraisal_new, name="appraisal_new"),
    path("secondments/<int:pk>/misconduct/", views.misconduct_new, name="misconduct_new"),
    path("leave/<int:pk>/debriefing/", views.debriefing_new, name="debriefing_new"),
    path("misconduct/<int:pk>/decide/", views.misconduct_decide, name="misconduct_decide"),
]
