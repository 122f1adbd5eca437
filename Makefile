# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STAGE  ?= dev

.PHONY: install run job cli lint test test-fast bench fuzz load check-hardening package clean client docs-viewer

# pip<26.3: chalice 1.34, which builds the deployment package with pip, requires it.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## Start moto (AWS_PORT, default 5000) and the API (PORT, default 8000) on 127.0.0.1, seeded; every schedule
## fires on its rate (SCHEDULE_EVERY_S=N: every N seconds) and the work queues are consumed, as deployed.
run: install
	$(BIN)/python infra/local.py

## Against a running `make run` (same AWS_PORT): one schedule now, its work drained, what it did printed.
job: install
	@test -n "$(NAME)" || { echo "usage: make job NAME=<schedule>, e.g. NAME=evaluate-metrics"; exit 2; }
	$(BIN)/python infra/attach.py job $(NAME)

## Against a running `make run`: the operator CLI, e.g. make cli ARGS='filings export --tenant demo --period 2026-10'.
cli: install
	$(BIN)/python infra/attach.py cli $(ARGS)

## ruff (pyproject.toml's rules, 120 columns) and mypy over the application code.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

## Lint, then the whole suite: unit, API (moto in-process), integration, end-to-end over HTTP, package build,
## spread over the machine's cores (each worker has its own in-process moto).
test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile

## Everything except the end-to-end and package tests.
test-fast: install
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not e2e and not package"

## Every benchmark in bench/, printed as one table of ratios against same-run baselines.
bench: install
	$(BIN)/python bench/run.py

## schemathesis over /v1/openapi.json against a fresh local stack: every phase (stateful along the document's
## links) and every check, 20 examples per operation (FUZZ="--max-examples 50 --seed 1" for more); any failure fails.
fuzz: install
	$(BIN)/python infra/fuzz.py $(FUZZ)

load: install
	$(BIN)/python infra/load.py

check-hardening: fuzz load

## chalice package with infra/template.json merged, then cfn-lint (STAGE=dev|prod).
package: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python infra/package.py $(STAGE)

## The Python client (clients/python) regenerated from the document the app serves; a test fails on drift.
client: install
	$(BIN)/python clients/python/generate.py

## Swagger UI for /docs re-vendored from npm's swagger-ui-dist (VERSION=x.y.z, default: the vendored one), checked
## against the registry's sha512 and recorded with its SHA-256 in chalicelib/docs/vendor/VENDOR.json.
docs-viewer: install
	$(BIN)/python infra/docs_viewer.py $(VERSION)

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis .chalice/deployments
