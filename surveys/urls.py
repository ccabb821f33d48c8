from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/edit/", views.round_update, name="round-update"),
    path("<int:pk>/invite/", views.round_invite, name="round-invite"),
    path("<int:pk>/remind/", views.round_remind, name="round-remind"),
    path("<int:pk>/close/", views.round_close, name="round-close"),
    path("<int:pk>/not-answered/", views.round_nonrespondents, name="round-nonrespondents"),
    path("<int:pk>/results/", views.round_results, name="round-results"),
    path("mine/", views.invitation_list, name="invitation-list"),
    path("mine/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("answer/thanks/", views.response_done, name="response-done"),
    path("answer/<str:token>/", views.response_create, name="response-create"),
]
