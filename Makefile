# Two commands matter: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test lint serve install catalogs extract-messages browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependencies change, so repeated runs are quick.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) catalogs

# Compiled catalogues (.mo) are build output: made here at install, never committed. Fuzzy entries stay out.
catalogs: $(STAMP)
	@if ls inschrijving/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d inschrijving/translations; fi

# After changing texts: extract every _()/_l()/ngettext into the template, then merge it into each catalogue.
# Lines wrap at 120 characters, as the committed catalogues do (pybabel's default of 76 would rewrap them all).
TRANSLATED_LANGUAGES := fr en ar tr
POT := inschrijving/translations/messages.pot
extract-messages: $(STAMP)
	mkdir -p $(dir $(POT))
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -w 120 \
		--add-comments=Translators: --sort-by-file --project=inschrijving -o $(POT) .
	@for lang in $(TRANSLATED_LANGUAGES); do \
		[ -f inschrijving/translations/$$lang/LC_MESSAGES/messages.po ] || \
			$(BIN)/pybabel -q init -i $(POT) -d inschrijving/translations -l $$lang -w 120; \
	done
	$(BIN)/pybabel -q update -i $(POT) -d inschrijving/translations --no-fuzzy-matching --ignore-obsolete -w 120

# axe-core for the accessibility browser tests, into this repository's node_modules (git-ignored).
NPM := $(shell command -v npm 2>/dev/null)
# Offline, a failed install only warns: the axe tests then skip (or fail under REQUIRE_BROWSER_TESTS=1).
node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error && touch $@ || \
		echo "WARNING: npm ci failed: axe-core is missing, the accessibility browser tests cannot run."

ifdef NPM
browser-deps: node_modules/.installed
else
browser-deps:
	@echo "npm not found: axe-core is not installed, so the accessibility browser tests will fail or be skipped."
endif
	@[ -x /usr/bin/chromium ] || echo "NOTE: /usr/bin/chromium not found: the browser tests in tests/browser are SKIPPED (apt-get install -y chromium)."

# The Procfile's processes (web and the task queue's worker) through honcho, on PORT (default 5000):
# `make run PORT=8080`. Debug mode, and gunicorn reloads on code changes.
PORT ?= 5000
# The demo's Woonclub phone number (fictitious): candidate pages say "Bel de Woonclub" only with a number.
run: export WOONCLUB_PHONE ?= 056 00 00 00
run: install
	$(BIN)/flask db upgrade
	@# Debug, as the web and worker below: the demo's scans are encrypted with the development key they read with.
	FLASK_DEBUG=1 $(BIN)/flask seed-demo
	PATH="$(CURDIR)/$(BIN):$$PATH" FLASK_DEBUG=1 LOCAL_DEVELOPMENT=1 GUNICORN_CMD_ARGS="--reload $$GUNICORN_CMD_ARGS" \
		PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/honcho start --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: install lint browser-deps
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-output
