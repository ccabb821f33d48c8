from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("report/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/receipt/", views.report_receipt, name="report-receipt"),
    path("reports/<int:pk>/evidence/", views.report_add_evidence, name="report-add-evidence"),
    path("reports/<int:pk>/triage/", views.report_triage, name="report-triage"),
    path("reports/<int:pk>/open-case/", views.report_open_case, name="report-open-case"),
    path("reports/<int:pk>/join-case/", views.report_join_case, name="report-join-case"),
    path("triage/", views.triage, name="triage"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/status/", views.case_status, name="case-status"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case-assign"),
    path("cases/<int:pk>/title/", views.case_title, name="case-title"),
    path("cases/<int:pk>/notes/", views.case_note_add, name="case-note-add"),
    path("cases/<int:pk>/contacts/", views.case_contact_add, name="case-contact-add"),
    path("cases/<int:pk>/link-assessment/", views.case_link_assessment, name="case-link-assessment"),
    path("cases/<int:pk>/party-view/", views.case_party_view, name="case-party-view"),
    path("cases/<int:pk>/support/", views.case_support_add, name="case-support-add"),
    path("cases/<int:pk>/police-report/", views.case_police_report, name="case-police-report"),
    path("cases/<int:pk>/documents/", views.case_document_add, name="case-document-add"),
    path("cases/<int:pk>/campaign/", views.case_campaign, name="case-campaign"),
    path("cases/<int:pk>/evidence-package/", views.case_evidence_package, name="case-evidence-package"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/cases/<int:case_pk>/remove/", views.campaign_remove_case, name="campaign-remove-case"),
    path("mine/", views.my_cases, name="my-cases"),
    path("urgent/", views.urgent_list, name="urgent-list"),
]
