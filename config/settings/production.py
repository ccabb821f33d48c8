"""Production: every secret from the environment, HTTPS only, 2FA for staff by default."""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before base.py runs, since base.py would otherwise generate development secrets in var/.
for _name in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY"):
    if not (os.environ.get(_name) or os.environ.get(f"{_name}_FILE")):
        raise ImproperlyConfigured(f"{_name} must be set in production (or {_name}_FILE)")

from .base import *  # noqa: E402, F403
from .base import _bool, _read  # noqa: E402

DEBUG = False
if not _read("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
if not _read("FIELD_ENCRYPTION_KEY"):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set in production")
REQUIRE_2FA = _bool("REQUIRE_2FA", True)

SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
