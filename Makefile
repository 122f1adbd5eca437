# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STAGE  ?= dev

.PHONY: install run test test-fast bench fuzz load check-hardening package clean

# pip<26.3: chalice 1.34, which builds the deployment package with pip, requires it.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## Start moto (AWS_PORT, default 5000) and the API (PORT, default 8000) on 127.0.0.1, seeded.
run: install
	$(BIN)/python infra/local.py

## The whole suite: unit, API (moto in-process), integration, end-to-end over HTTP, package build.
test: install
	$(BIN)/python -m pytest

## Everything except the end-to-end and package tests.
test-fast: install
	$(BIN)/python -m pytest -m "not e2e and not package"

## Every benchmark in bench/, printed as one table of ratios against same-run baselines.
bench: install
	$(BIN)/python bench/run.py

## schemathesis over /v1/openapi.json against a fresh local stack: no 5xx, every answer on its schema.
fuzz: install
	$(BIN)/python infra/fuzz.py

load: install
	$(BIN)/python infra/load.py

check-hardening: fuzz load

## chalice package with infra/template.json merged, then cfn-lint (STAGE=dev|prod).
package: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python infra/package.py $(STAGE)

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis .chalice/deployments
