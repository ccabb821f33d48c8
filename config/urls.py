from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("officials/", include("officials.urls")),
    path("incidents/", include("incidents.urls")),
    path("risk-analyses/", include("riskanalyses.urls")),
    path("measures/", include("measures.urls")),
    path("training/", include("training.urls")),
    path("surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
