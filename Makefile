# Two commands for a newcomer: `make run` (the demo, no services needed) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# What is installed: the project for the demo; the project with its test tools for the tests.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8000
# The settings read it too: the demo's links (e-mails, back office) follow the port served.
export PORT
PYTEST_ARGS ?=

.PHONY: run test install install-test lint migrate demo translations browser clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Each reinstalls only when pyproject.toml changed since its last install.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

# The test tools come with the project itself: the demo needs nothing more.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,s3]'
	touch $(TEST_STAMP) $(RUN_STAMP)

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

translations: install
	$(BIN)/python manage.py compile_translations

var:
	mkdir -p var

# The server stays in the foreground (Ctrl-C stops it) and prints its address once it answers.
run: install translations | var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py serve_demo 127.0.0.1:$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@# Models against migration files only: an empty in-memory database, so a local database
	@# migrated with an older history does not matter.
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium; nothing downloads a browser at run time. Without
# it they fail, so this installs it (as root, or through sudo without a password) or stops
# with what to do. BROWSER_TESTS=off leaves the browser tests out on purpose.
CHROMIUM := /usr/bin/chromium
APT_CHROMIUM := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends chromium fonts-liberation

browser:
	@if [ -x $(CHROMIUM) ] || [ "$(BROWSER_TESTS)" = off ]; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests"; $(APT_CHROMIUM); \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		echo "Installing Debian's chromium for the browser tests (sudo)"; \
		sudo sh -c '$(APT_CHROMIUM)'; \
	fi
	@if [ ! -x $(CHROMIUM) ] && [ "$(BROWSER_TESTS)" != off ]; then \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM), and this user cannot"; \
		echo "install it. Install it once (sudo apt-get install chromium) and run make test"; \
		echo "again, or run BROWSER_TESTS=off make test to leave the browser tests out."; \
		exit 1; \
	fi

test: install-test translations lint browser | var
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
