from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("exports/new/", views.export_create, name="export-create"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/status/", views.export_status, name="export-status"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("followup/", views.followup_detail, name="followup-detail"),
]
