# Värn — the application image used by docker-compose.yml (web, worker, beat, migrate).
#
#   docker compose build
#
# One image, four roles: the command decides (gunicorn, celery worker, celery beat, migrate).
# Translations and static files are built into the image; nothing in /app is writable at run
# time. Private files (evidence, documents) live on a volume outside the web root.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VARN_MEDIA_ROOT=/var/lib/varn/private

# WeasyPrint (PDF reports) needs Pango and HarfBuzz; DejaVu covers å, ä, ö.
# gettext compiles the translations (compilemessages).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The service runs as an unprivileged user that owns only its data directories.
RUN groupadd --system --gid 10001 varn \
    && useradd --system --uid 10001 --gid varn --home-dir /app --no-create-home --shell /usr/sbin/nologin varn \
    && install -d -o varn -g varn -m 0700 /var/lib/varn/private /var/lib/varn/beat

WORKDIR /app

# The runtime dependencies from pyproject.toml at exactly the versions in requirements.lock
# (the lock also pins the dev tools — pytest, Playwright, ruff — which production leaves out).
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/runtime-requirements.txt \
    && pip install -r /tmp/runtime-requirements.txt -c requirements.lock \
    && rm /tmp/runtime-requirements.txt

COPY . .

# Build-time only: production settings insist on both secrets, so throwaway values are passed
# to these two commands; the real ones come from Docker secrets when the container runs.
RUN export DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
        FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    && mkdir -p locale var \
    && python manage.py compilemessages -v0 \
    && python manage.py collectstatic --noinput -v0

USER varn:varn
EXPOSE 8000

ENTRYPOINT ["/bin/sh", "/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
