# Two commands do everything: `make run` and `make test`. Both install what is
# missing (venv, packages, services) first, so they work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
export PYTHONPATH := $(CURDIR)

.PHONY: run test install assets translations services services-stop migrate admin demo \
        serve bench-ingest bench-search-latency clean-data

install:
	bash scripts/bootstrap.sh
	bash scripts/api_docs_assets.sh
	bash scripts/preview_assets.sh

# Pinned npm packages into the ignored var/vendor/ (axe-core for the browser tests).
assets:
	bash scripts/assets.sh

translations: install
	$(VENV)/bin/pybabel -q compile -d app/translations

services:
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop

migrate: install
	mkdir -p var
	$(FLASK) db upgrade

admin: migrate
	bash scripts/ensure_admin.sh

demo: admin
	$(FLASK) search init
	$(FLASK) archive demo

run: install assets translations services migrate admin demo
	bash scripts/run.sh

test: install assets translations services
	bash scripts/test.sh $(ARGS)

bench-ingest: install translations services
	ARCHIVE_ENV=testing $(PY) bench/ingest.py $(ARGS)

bench-search-latency: install translations services
	ARCHIVE_ENV=testing $(PY) bench/search_latency.py $(ARGS)

clean-data:
	rm -rf var/storage var/archive.sqlite3 var/admin-password.txt
