from django.urls import path

from . import views

app_name = "officials"

urlpatterns = [
    path("", views.official_list, name="official-list"),
    path("export.csv", views.official_export, name="official-export"),
    path("new/", views.official_create, name="official-create"),
    path("<int:pk>/", views.official_detail, name="official-detail"),
    path("<int:pk>/edit/", views.official_update, name="official-update"),
    path("<int:pk>/party/", views.official_change_party, name="official-change-party"),
    path("<int:pk>/phone/", views.official_phone, name="official-phone"),
    path("<int:pk>/assignments/new/", views.assignment_create, name="assignment-create"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("assignments/<int:pk>/designate/", views.assignment_designate, name="assignment-designate"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent-create"),
    path("consents/<int:pk>/document/", views.consent_document, name="consent-document"),
    path("consents/<int:pk>/review/", views.consent_review, name="consent-review"),
    path("consents/<int:pk>/accept/", views.consent_accept, name="consent-accept"),
    path("consents/<int:pk>/reject/", views.consent_reject, name="consent-reject"),
    path("consents/<int:pk>/file/", views.consent_file, name="consent-file"),
    path("me/", views.me, name="me"),
    path("me/consents/<str:field>/give/", views.me_consent_give, name="me-consent-give"),
    path("me/consents/<str:field>/upload/", views.me_consent_upload, name="me-consent-upload"),
    path("me/consents/<str:field>/withdraw/", views.me_consent_withdraw, name="me-consent-withdraw"),
    path("me/phone/", views.me_phone, name="me-phone"),
]
