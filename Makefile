# Postventa: the two commands are `make run` and `make test`; the rest are their steps.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HTMX   := core/static/vendor/htmx.min.js
export FLASK_APP := wsgi

.PHONY: run test test-postgres test-browser install htmx translations i18n-check db demo bench clean chromium

run: install db          ## install, migrate, load demo data (first time), serve on :5000
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install chromium   ## install and run the whole suite (SQLite; browser tests in Chromium)
	$(BIN)/pytest -q

test-postgres: install   ## the same suite against PostgreSQL (DATABASE_URL, default the local server)
	DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q -m "not browser"

bench: install           ## measure pages and batch jobs against an in-process baseline
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python htmx
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	$(MAKE) translations

htmx: $(HTMX)
$(HTMX): package.json
	npm install --no-audit --no-fund --silent --prefix .npm-cache htmx.org@$$(node -p "require('./package.json').dependencies['htmx.org']")
	mkdir -p $(dir $(HTMX))
	cp .npm-cache/node_modules/htmx.org/dist/htmx.min.js $(HTMX)

translations:            ## compile every catalog (core's and each plugin's)
	$(BIN)/python -m tools.i18n compile

i18n-update:             ## extract new strings into every catalog (then translate the Spanish ones)
	$(BIN)/python -m tools.i18n update

chromium:                ## Debian's Chromium for the browser tests (never Playwright's download)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium not installed and cannot be installed here: browser tests will be skipped with that reason"; }

db:                      ## migrate core and the enabled plugins; load demo data on a new database
	$(BIN)/flask plugins migrate
	@if [ ! -f instance/demo-logins.txt ]; then $(BIN)/flask demo load > instance/demo-logins.tmp && \
	  mv instance/demo-logins.tmp instance/demo-logins.txt; fi
	@echo "Demo logins (user, password, role, organisation); delete instance/ to start over:"
	@cat instance/demo-logins.txt

clean:
	rm -rf $(VENV) .npm-cache instance core/static/vendor
