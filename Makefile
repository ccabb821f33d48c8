# Värn — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1
# Two workers: the suite (browser journeys included) runs in about half the time on 2 cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test setup migrate messages demo lint typecheck lint-imports check-migrations check-deploy pytest lock worker beat clean makemessages deploy-secrets ci

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

setup: $(STAMP) messages migrate

messages: $(STAMP)
	@mkdir -p locale
	@$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: $(STAMP)
	@$(PY) manage.py migrate --noinput -v0

demo: setup
	$(PY) manage.py seed_demo

run: demo
	@echo "Värn on http://127.0.0.1:$(PORT) — log in with a demo account above."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# mypy with django-stubs: strict for core, services, selectors and permissions (pyproject.toml).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The layering as import-linter contracts (pyproject.toml): core imports no app, no cycles.
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run -v1

# The deploy check under production settings with the environment production requires.
check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9') \
	FIELD_ENCRYPTION_KEY=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	DJANGO_ALLOWED_HOSTS=varn.example.se \
	$(PY) manage.py check --deploy --fail-level WARNING

# Exit status 5 (no test collected, e.g. a -m selection that matches nothing) is not a failure.
pytest: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no test collected"; exit 0; fi; exit $$status

test: setup
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint typecheck lint-imports check-migrations check-deploy pytest; status=$$?; \
	if [ $$status -eq 0 ]; then result=passed; else result=FAILED; fi; \
	echo "make test $$result in $$(( $$(date +%s) - start )) s"; exit $$status

# Regenerate the lock file from the ranges in pyproject.toml.
lock:
	rm -rf /tmp/varn-lock && $(PYTHON) -m venv /tmp/varn-lock && /tmp/varn-lock/bin/pip install --quiet --upgrade pip && \
	/tmp/varn-lock/bin/pip install --quiet ".[dev]" && /tmp/varn-lock/bin/pip freeze --exclude varn > requirements.lock

# Extract the source's strings into locale/sv/LC_MESSAGES/django.po (the only catalogue: the msgids
# are English, so English needs none). References name the file without a line number, so moving
# code does not touch the catalogue; one line per string; strings no longer used are dropped.
# msgmerge marks its guesses for changed strings fuzzy: review them in a PO editor (remove the
# flag), fill the new empty ones, then `make messages`. tests/test_translations.py fails on any
# missing, empty or fuzzy entry.
makemessages: $(STAMP)
	$(PY) manage.py makemessages -l sv --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks \
		--ignore=test-artifacts --no-obsolete --add-location=file --no-wrap -v0

worker: setup
	$(VENV)/bin/celery -A config worker -l info

beat: setup
	$(VENV)/bin/celery -A config beat -l info --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var/staticfiles var/test-private .pytest_cache

# The secrets docker-compose.yml reads (deploy/secrets/, .env); never overwrites existing ones.
deploy-secrets:
	sh deploy/make-secrets.sh

# What CI runs: make test on SQLite, then on PostgreSQL + Redis with a real Celery worker.
ci:
	bash .ci/run
