# The two commands of the README: `make demo` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) example_site/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install chromium lint messages bench clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test,dev,semantic]"
	touch $@

install: $(VENV)/.installed

## Run the demo help center on http://$(HOST):$(PORT) (SQLite and Whoosh under var/).
# Links in e-mails use this address (the demo's Site and WAGTAILADMIN_BASE_URL).
demo: export WAGTAILADMIN_BASE_URL = http://$(HOST):$(PORT)
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Demo help center: http://$(HOST):$(PORT)/en/  (German: http://$(HOST):$(PORT)/de/)"
	$(MANAGE) runserver $(HOST):$(PORT)

## Run the whole test suite (set DATABASE_URL=postgres://... to run it on PostgreSQL).
test: install chromium
	$(PY) -m pytest

# Browser tests drive Debian's Chromium; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Chromium (Debian: sudo apt-get install chromium) for the browser tests."; fi; }

lint: install
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=example_site.settings.test $(MANAGE) makemigrations --check --dry-run

# Regenerate the message catalogues after changing user-facing strings.
messages: install
	for app in helpcenter faq search contactform community example_site; do \
	  (cd $$app && DJANGO_SETTINGS_MODULE=example_site.settings.dev PYTHONPATH=.. \
	    ../$(VENV)/bin/django-admin makemessages -l de -l en --no-obsolete && \
	    ../$(VENV)/bin/django-admin compilemessages) || exit 1; \
	done

# Benchmarks (docs/development.md): SIZES are article counts, FORUM_POSTS the simulated forum;
# the search targets are set for SIZES=10000 FORUM_POSTS=100000. BENCH_ARGS: e.g. --json.
SIZES ?= 1000,10000
FORUM_POSTS ?= 10000
bench: install
	$(PY) -m tests.benchmarks --sizes $(SIZES) --forum-posts $(FORUM_POSTS) $(BENCH_ARGS)

clean:
	rm -rf var build dist *.egg-info
