"""Fast, deterministic settings for the test suite."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-private"
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LANGUAGE_CODE = "sv"

# Tasks run in-process in tests even when a broker is configured; the tests that need a real
# worker start one themselves (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
