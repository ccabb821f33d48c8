"""Settings shared by every environment. The environment is read here and nowhere else.

Every variable may also come from a file named by `<NAME>_FILE` (Docker secrets).
A bad value fails loudly at start.
"""

import os
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Django's generic classes (QuerySet[Case], Paginator[…]) subscriptable at run time, as the
# type annotations that mypy checks write them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VARN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _read(name: str, default: str | None = None) -> str | None:
    """A variable from the environment, or from the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    raw = _read(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _dev_secret(file_name: str, make) -> str:
    """A secret kept under var/ for local use, generated on first start."""
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _make_secret_key() -> str:
    from django.core.management.utils import get_random_secret_key

    return get_random_secret_key()


def _make_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = _bool("DJANGO_DEBUG", False)
SECRET_KEY = _read("DJANGO_SECRET_KEY") or _dev_secret("secret_key", _make_secret_key)
ALLOWED_HOSTS = [h.strip() for h in (_read("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (_read("DJANGO_CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()]

# Private contact fields of officials are encrypted with these Fernet keys (first encrypts,
# all decrypt, so keys can be rotated by prepending a new one).
FIELD_ENCRYPTION_KEYS = [
    k.strip()
    for k in (_read("FIELD_ENCRYPTION_KEY") or _dev_secret("field_encryption_key", _make_fernet_key)).split(",")
    if k.strip()
]


def _check_fernet_keys(keys: list[str]) -> None:
    """A malformed key fails at start, not at the first save of a private field."""
    from cryptography.fernet import Fernet

    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEY: key {position} is not a Fernet key (32 bytes, URL-safe base64)"
            ) from exc


_check_fernet_keys(FIELD_ENCRYPTION_KEYS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "django_filters",
    "django_htmx",
    "core",
    "accounts",
    "officials",
    "incidents",
    "measures",
    "riskanalyses",
    "training",
    "surveys",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.request_cache.RequestCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.StaffSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "accounts.context_processors.active_policy",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(_read("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'varn.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithRolesBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor login for staff roles (security unit, approver, on-call, administrator).
REQUIRE_2FA = _bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Värn"

# django-axes: throttle failed logins per username and address.
AXES_FAILURE_LIMIT = int(_read("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
# The one way dates and times are written for people, per language (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Evidence and documents live outside the web root and are served only through
# permission-checked views.
MEDIA_ROOT = Path(_read("VARN_MEDIA_ROOT") or VAR_DIR / "private")
MEDIA_URL = "/private/"  # never served directly: no URL pattern maps it

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# E-mail: console locally unless EMAIL_URL is set (smtp://host:port).
_email_url = _read("EMAIL_URL")
if _email_url:
    _email = env.email_url_config(_email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "")
    EMAIL_PORT = _email.get("EMAIL_PORT", 25)
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", "Värn <varn@localhost>")
# The address the app is reached at, for links in e-mails and calendar files sent without a request.
SITE_URL = (_read("SITE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000").rstrip("/")

# Celery: with no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = _read("CELERY_BROKER_URL") or ""
# Test-only: run the daily planner every N seconds instead (the broker test sets it); 0 = daily.
try:
    PLANNER_EVERY_SECONDS = int(_read("PLANNER_EVERY_SECONDS", "0") or 0)
except ValueError as exc:
    raise ImproperlyConfigured("PLANNER_EVERY_SECONDS must be a whole number of seconds") from exc
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = _read("CELERY_RESULT_BACKEND") or (CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _read("CACHE_URL")}
        if _read("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

DEMO_PASSWORD = _read("DEMO_PASSWORD", "Varn-demo-2026!") or "Varn-demo-2026!"
EVIDENCE_MAX_BYTES_DEFAULT = 25 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"},
                # WeasyPrint logs every layout step at INFO (PDF reports, evidence packages).
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
