from django.urls import path

from . import views

app_name = "riskanalyses"

urlpatterns = [
    # Party offices: before an assignment.
    path("party/", views.party_analysis_list, name="party-analysis-list"),
    path("party/new/", views.party_analysis_create, name="party-analysis-create"),
    path("party/<int:pk>/", views.party_analysis_detail, name="party-analysis-detail"),
    path("party/<int:pk>/edit/", views.party_analysis_update, name="party-analysis-update"),
    path("party/<int:pk>/judge/", views.party_analysis_judge, name="party-analysis-judge"),
    path("party/<int:pk>/escalate/", views.party_analysis_escalate, name="party-analysis-escalate"),
    path("party/<int:pk>/close/", views.party_analysis_close, name="party-analysis-close"),
    path("party/<int:pk>/answer/", views.party_analysis_answer, name="party-analysis-answer"),
    # Committees and companies: their own activities.
    path("activities/", views.body_analysis_list, name="body-analysis-list"),
    path("activities/new/", views.body_analysis_create, name="body-analysis-create"),
    path("activities/<int:pk>/", views.body_analysis_detail, name="body-analysis-detail"),
    path("activities/<int:pk>/edit/", views.body_analysis_update, name="body-analysis-update"),
    path("activities/<int:pk>/checklist/", views.body_analysis_checklist, name="body-analysis-checklist"),
    path("activities/<int:pk>/ready/", views.body_analysis_ready, name="body-analysis-ready"),
    path("activities/<int:pk>/reopen/", views.body_analysis_reopen, name="body-analysis-reopen"),
    path("activities/<int:pk>/follow-up/", views.body_analysis_follow_up, name="body-analysis-follow-up"),
    path("activities/<int:pk>/cancel/", views.body_analysis_cancel, name="body-analysis-cancel"),
    # A body's checklist, and the administrator's template.
    path("checklists/mine/", views.checklist_mine, name="checklist-mine"),
    path("checklists/<int:body_pk>/", views.checklist_detail, name="checklist-detail"),
    path("checklists/<int:body_pk>/create/", views.checklist_create, name="checklist-create"),
    path("checklists/<int:body_pk>/from-template/", views.checklist_add_template_items,
         name="checklist-add-template-items"),
    path("checklists/<int:body_pk>/items/", views.checklist_item_add, name="checklist-item-add"),
    path("checklist-items/<int:pk>/edit/", views.checklist_item_update, name="checklist-item-update"),
    path("checklist-items/<int:pk>/remove/", views.checklist_item_remove, name="checklist-item-remove"),
    path("template/", views.template_list, name="template-list"),
    path("template/items/", views.template_item_add, name="template-item-add"),
    path("template/items/<int:pk>/edit/", views.template_item_update, name="template-item-update"),
    path("template/items/<int:pk>/remove/", views.template_item_remove, name="template-item-remove"),
]
