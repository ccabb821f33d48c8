"""Production settings: `check --deploy` passes with no warning when the required environment
is set, and a missing secret or a bad value stops the start with a message naming it.

Each case runs manage.py in a fresh interpreter, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
# Variables of the developer's or the CI's shell that would change what production reads.
_SCRUB_PREFIXES = ("DJANGO_", "FIELD_ENCRYPTION_KEY", "REQUIRE_2FA", "EMAIL_URL", "VARN_")


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="deploy-check-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="varn.example.se",
        VARN_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


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
