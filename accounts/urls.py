from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.password_change, name="password-change"),
    path("accounts/password/done/", views.password_change_done, name="password-change-done"),
    path("accounts/password/reset/", views.password_reset, name="password-reset"),
    path("accounts/password/reset/done/", views.password_reset_done, name="password-reset-done"),
    path("accounts/password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("accounts/password/reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("accounts/2fa/verify/", views.two_factor_verify, name="2fa-verify"),
    path("accounts/2fa/setup/", views.two_factor_setup, name="2fa-setup"),
    path("accounts/2fa/recovery-codes/", views.two_factor_recovery_codes, name="2fa-recovery-codes"),
    path("accounts/2fa/recovery-codes/new/", views.two_factor_recovery_new, name="2fa-recovery-new"),
    # Not under accounts/2fa/: those paths are open to staff who have not yet verified.
    path("accounts/security/two-factor/", views.two_factor_admin, name="2fa-admin"),
    path("accounts/security/two-factor/<int:pk>/reset/", views.two_factor_reset, name="2fa-reset"),
    path("accounts/audit/", views.audit_list, name="audit-list"),
    path("accounts/audit/export/", views.audit_export, name="audit-export"),
    path("accounts/my-access-log/", views.my_access_log, name="my-access-log"),
    path("i18n/setlang/", views.set_language, name="set-language"),
]
