"""docker-compose.yml and the Dockerfile agree with the settings (Docker does not run here, so
the files are read as data): the services exist, each runs what it should, and every variable
the application containers get is one config/settings/base.py actually reads."""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    # One instruction per line: join the continuation lines, drop the comments.
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return re.sub(r"\\\n\s*", " ", "\n".join(lines))


def settings_variables() -> set[str]:
    """Every variable base.py reads: `_read("NAME"`, `_bool("NAME"`, `os.environ.get("NAME"`."""
    source = (ROOT / "config" / "settings" / "base.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:_read|_bool|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "REQUIRE_2FA"} <= names, names
    return names


def uninterpolated(value: str) -> str:
    """`${NAME:-default}` / `${NAME:?message}` as docker compose would fill them, with a dummy."""
    return re.sub(r"\$\{([A-Z_]+)(?::?[-?][^}]*)?\}", "x", value)


def command(service: dict) -> list[str]:
    cmd = service["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else list(cmd)


def test_every_service_exists(services):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit", "migrate"} <= set(services)


def test_backing_services_use_the_supported_major_versions(services):
    assert services["postgres"]["image"].split(":")[1].startswith("16")
    assert services["redis"]["image"].split(":")[1].startswith("7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")


def test_web_runs_gunicorn_with_the_project_config(services):
    assert command(services["web"]) == ["gunicorn", "config.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()


def test_worker_and_beat_run_celery_for_the_config_app(services):
    assert command(services["worker"])[:4] == ["celery", "-A", "config", "worker"]
    beat = command(services["beat"])
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    # The schedule file lives on the beat volume, which the health check reads.
    schedule = beat[beat.index("--schedule") + 1]
    mounts = [volume.split(":")[1] for volume in services["beat"]["volumes"]]
    assert any(schedule.startswith(mount + "/") for mount in mounts)


def test_migrations_run_once_before_web_worker_and_beat(services):
    assert command(services["migrate"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_names_are_exactly_what_the_settings_read(services, name):
    known = settings_variables()
    allowed = known | {f"{n}_FILE" for n in known} | {"DJANGO_SETTINGS_MODULE"}
    environment = services[name]["environment"]
    assert isinstance(environment, dict)
    unknown = set(environment) - allowed
    assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_production_settings_and_the_compose_services(services, name):
    env = services[name]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    database = urlsplit(uninterpolated(env["DATABASE_URL"]))
    assert (database.scheme, database.hostname, database.port) == ("postgres", "postgres", 5432)
    assert database.path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
    assert database.username == services["postgres"]["environment"]["POSTGRES_USER"]
    for variable in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"):
        url = urlsplit(env[variable])
        assert (url.scheme, url.hostname, url.port) == ("redis", "redis", 6379), variable
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_secrets_come_from_files_never_from_the_environment(compose, services, name):
    env = services[name]["environment"]
    assert "DJANGO_SECRET_KEY" not in env and "FIELD_ENCRYPTION_KEY" not in env
    for secret in ("django_secret_key", "field_encryption_key"):
        assert secret in services[name]["secrets"]
        assert compose["secrets"][secret]["file"].startswith("./deploy/secrets/")
    assert env["DJANGO_SECRET_KEY_FILE"] == "/run/secrets/django_secret_key"
    assert env["FIELD_ENCRYPTION_KEY_FILE"] == "/run/secrets/field_encryption_key"
    # The database password is filled in by compose from .env, not written here.
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]


def test_private_files_live_on_a_volume_outside_the_web_root(compose, services):
    media_root = services["web"]["environment"]["VARN_MEDIA_ROOT"]
    assert not media_root.startswith("/app")
    for name in ("web", "worker"):
        assert services[name]["environment"]["VARN_MEDIA_ROOT"] == media_root
        volume = next(v for v in services[name]["volumes"] if v.split(":")[1] == media_root)
        assert volume.split(":")[0] in compose["volumes"]
    assert "postgres-data" in compose["volumes"]


def test_every_long_running_service_has_a_health_check(services):
    for name in ("postgres", "redis", "mailpit", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("web", "worker", "beat"):
        test = services[name]["healthcheck"]["test"]
        assert test == ["CMD", "python", "deploy/healthcheck.py", name]


def test_only_the_proxy_and_the_mail_ui_are_published(services):
    published = {name: service["ports"] for name, service in services.items() if service.get("ports")}
    assert set(published) == {"proxy", "mailpit"}
    assert all(port.startswith("127.0.0.1:") for port in published["mailpit"])


def test_dockerfile_builds_from_python_311_slim_with_the_pdf_libraries(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    apt = next(line for line in dockerfile.splitlines() if "apt-get install" in line)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core", "gettext"):
        assert re.search(rf"\s{re.escape(package)}(\s|$)", apt), package


def test_dockerfile_installs_the_locked_versions(dockerfile):
    pip = next(line for line in dockerfile.splitlines() if "pip install" in line)
    assert "requirements.lock" in pip


def test_the_lock_pins_every_runtime_dependency_the_image_installs():
    """The image installs pyproject's dependencies constrained by requirements.lock: every
    package they pull in (transitively, with extras) must be pinned there, at the version this
    virtualenv runs."""
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            lock[canonicalize_name(name)] = version.strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        assert name in lock, f"{name} (needed by the runtime) is not pinned in requirements.lock"
        distribution = metadata.distribution(name)
        assert distribution.version == lock[name], f"{name}: installed {distribution.version}, locked {lock[name]}"
        for raw in distribution.requires or []:
            dependency = Requirement(raw)
            extras = requirement.extras or {""}
            if dependency.marker and not any(dependency.marker.evaluate({"extra": e}) for e in extras):
                continue
            todo.append(dependency)
    assert {"django", "celery", "redis", "weasyprint", "gunicorn", "psycopg2-binary"} <= {n for n, _ in seen}


def test_dockerfile_compiles_translations_and_static_files_into_the_image(dockerfile):
    assert "manage.py compilemessages" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile


def test_dockerfile_runs_gunicorn_as_an_unprivileged_user(dockerfile):
    user = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    cmd = re.search(r"^CMD\s+(\[.*\])", dockerfile, re.M)
    assert cmd and yaml.safe_load(cmd.group(1))[:2] == ["gunicorn", "config.wsgi:application"]
    entrypoint = re.search(r"^ENTRYPOINT\s+(\[.*\])", dockerfile, re.M)
    script = yaml.safe_load(entrypoint.group(1))[-1]
    assert script.startswith("/app/") and (ROOT / script.removeprefix("/app/")).is_file()
    assert 'exec "$@"' in (ROOT / script.removeprefix("/app/")).read_text(encoding="utf-8")


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    assert {".env", "deploy/secrets", "var", ".venv", ".git"} <= ignored


def test_proxy_config_is_the_one_mounted(services):
    mounts = [volume.split(":") for volume in services["proxy"]["volumes"]]
    source = next(m[0] for m in mounts if m[1] == "/etc/caddy/Caddyfile")
    caddyfile = (ROOT / source).read_text(encoding="utf-8")
    assert "reverse_proxy web:8000" in caddyfile
