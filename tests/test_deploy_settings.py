"""Settings read from the environment. Production: `check --deploy` passes with no warning when
the required environment is set, and a missing secret or a bad value stops the start with a
message naming it. Base (what `make run` and the test settings build on): with no environment, a
SQLite database under var/ and Celery tasks run in-process; a broker or a database URL given
switches them.

Each case runs Python in a fresh interpreter, because settings are read once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
# Variables of the developer's or the CI's shell that would change what production reads.
_SCRUB_PREFIXES = ("DJANGO_", "FIELD_ENCRYPTION_KEY", "REQUIRE_2FA", "EMAIL_URL", "VARN_")
# … and what the base settings read besides (CI sets a database and a broker).
_BASE_PREFIXES = (*_SCRUB_PREFIXES, "DATABASE_URL", "CELERY_", "CACHE_URL", "SITE_URL", "DEFAULT_FROM_EMAIL",
                  "PLANNER_EVERY_SECONDS", "AXES_", "LOG_LEVEL", "DEMO_PASSWORD")


def clean_env(tmp_path: Path, settings_module: str, scrub: tuple[str, ...], **overrides: str | None) -> dict[str, str]:
    """The shell's environment without the variables starting with `scrub`, with var/ under
    tmp_path, the settings module and `overrides` (None removes a variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(scrub)}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, VARN_VAR_DIR=str(tmp_path / "var"), PYTHONDONTWRITEBYTECODE="1")
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    required = {
        "DJANGO_SECRET_KEY": "deploy-check-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "varn.example.se",
    }
    return clean_env(tmp_path, "config.settings.production", _SCRUB_PREFIXES, **{**required, **overrides})


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_passes_check_deploy_without_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    # Production with its secrets given writes no development secret of its own.
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "field_encryption_key").exists()


def test_production_reads_secrets_from_files(tmp_path):
    secret_file = tmp_path / "django_secret_key"
    key_file = tmp_path / "field_encryption_key"
    secret_file.write_text("file-" + Fernet.generate_key().decode() + Fernet.generate_key().decode() + "\n")
    key_file.write_text(Fernet.generate_key().decode() + "\n")
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY=None,
        FIELD_ENCRYPTION_KEY=None,
        DJANGO_SECRET_KEY_FILE=str(secret_file),
        FIELD_ENCRYPTION_KEY_FILE=str(key_file),
    )
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_a_secret(tmp_path, missing):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_an_empty_secret(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECRET_KEY=""), "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_an_unreadable_secret_file_fails_loudly(tmp_path):
    env = production_env(tmp_path, DJANGO_SECRET_KEY=None, DJANGO_SECRET_KEY_FILE=str(tmp_path / "missing"))
    result = manage(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE=" in result.stderr and "cannot be read" in result.stderr


def test_a_malformed_encryption_key_fails_loudly(tmp_path):
    result = manage(production_env(tmp_path, FIELD_ENCRYPTION_KEY="not-a-fernet-key"), "check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY: key 1 is not a Fernet key" in result.stderr
    assert "not-a-fernet-key" not in result.stderr  # the secret itself is never echoed


@pytest.mark.parametrize("variable", ["REQUIRE_2FA", "DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT"])
def test_a_bad_boolean_fails_loudly(tmp_path, variable):
    result = manage(production_env(tmp_path, **{variable: "maybe"}), "check")
    assert result.returncode != 0
    assert f"{variable} must be true or false, not 'maybe'" in result.stderr


def test_production_turns_two_factor_on_and_debug_off_by_default(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.REQUIRE_2FA, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = production_env(tmp_path, DJANGO_DEBUG="true")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True"]


# ---------------------------------------------------------------- the base settings


def base_settings(tmp_path: Path, **environment: str) -> dict:
    """What config.settings.base makes of an environment with nothing of the project's but `environment`."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
        "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE', 0), "
        "'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS', False), "
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'results': s.CELERY_RESULT_BACKEND, "
        "'language': s.LANGUAGE_CODE, 'languages': [code for code, _ in s.LANGUAGES], 'debug': s.DEBUG, "
        "'two_factor': s.REQUIRE_2FA, 'email': s.EMAIL_BACKEND, 'cache': s.CACHES['default']['BACKEND']}))"
    )
    env = clean_env(tmp_path, "config.settings.base", _BASE_PREFIXES, **environment)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_base_settings_without_environment_use_sqlite_under_var_and_run_tasks_in_process(tmp_path):
    made = base_settings(tmp_path)
    assert made["engine"] == "django.db.backends.sqlite3"
    assert made["name"] == str(tmp_path / "var" / "varn.sqlite3")
    assert made["eager"] is True and made["broker"] == "" and made["results"] is None
    assert made["debug"] is False and made["two_factor"] is False
    assert made["email"] == "django.core.mail.backends.console.EmailBackend"
    assert made["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    # A development secret is made under var/ on first start.
    assert (tmp_path / "var" / "secret_key").exists() and (tmp_path / "var" / "field_encryption_key").exists()


def test_base_settings_with_a_broker_queue_tasks_and_keep_results_there(tmp_path):
    made = base_settings(tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/9")
    assert made["eager"] is False
    assert made["broker"] == made["results"] == "redis://127.0.0.1:6379/9"


def test_base_settings_with_a_postgresql_url_keep_connections_and_check_them(tmp_path):
    made = base_settings(tmp_path, DATABASE_URL="postgres://varn:secret@db.example:5432/varn")
    assert made["engine"] == "django.db.backends.postgresql" and made["name"] == "varn"
    assert made["conn_max_age"] == 60 and made["health_checks"] is True


def test_swedish_is_the_default_language_and_the_test_settings_keep_the_base_languages(tmp_path):
    from django.conf import settings

    made = base_settings(tmp_path)
    assert made["language"] == "sv"
    assert made["languages"] == ["sv", "en"]
    # The suite runs with the languages the app ships with, in the same order.
    assert [code for code, _ in settings.LANGUAGES] == made["languages"]
    assert settings.LANGUAGE_CODE == made["language"]
