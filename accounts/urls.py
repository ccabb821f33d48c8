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
    path("i18n/setlang/", views.set_language, name="set-language"),
]
