# pulumi-aep: every command a newcomer needs starts here.
#   make demo   everything from nothing to a `pulumi up` that creates a connection in the emulator
#   make test   everything from nothing to all tests passing
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The venv is rebuilt when the dependency list changes.
VENV_STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

PYTEST_ARGS ?=
#: `make test` workers (pytest-xdist), whole files per worker: the CLI tests wait far more than they
#: compute, so two workers on two cores roughly halve the wall time. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: help venv engine azurite plugin plugin-install sdks generate demo demo-down emulator emulator-stop test test-fast lint typecheck format bench chaos clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: $(VENV_STAMP) ## create .venv and install the project with its dev tools

$(VENV_STAMP): pyproject.toml
	@echo "==> Python virtualenv in $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

engine: venv ## make sure the pinned Pulumi CLI and the Python + YAML language hosts are ready (built once, then cached)
	@scripts/ensure-pulumi.sh >/dev/null

plugin: venv ## build the plugin archive dist/pulumi-resource-aep-v<version>-linux-amd64.tar.gz
	@scripts/plugin-archive.sh >/dev/null

plugin-install: venv engine ## build the archive and install it into this checkout's PULUMI_HOME (.pulumi/home)
	@scripts/plugin-archive.sh --install >/dev/null

sdks: venv engine ## generate the TypeScript, Go and Python SDKs from the schema into build/sdk/<language>
	@scripts/codegen/generate.sh >/dev/null

generate: venv ## regenerate the Python classes of both faces from the definition (resource.py, native.py, pipeline_resources.py)
	@$(PY) -m pulumi_aep.classgen --write

azurite: ## install the Azurite blob storage emulator (npm, cached outside the repo)
	@scripts/azurite.sh install >/dev/null

demo: venv engine ## from nothing to a created connection against the embedded emulator
	@scripts/demo.sh up

demo-down: venv engine ## destroy the demo stack and stop the emulator
	@scripts/demo.sh down

emulator: venv ## run the Flow Service + IMS emulator in the foreground on :8787
	@$(VENV)/bin/aep-emulator serve --port 8787

emulator-stop: ## stop the background emulator started by `make demo`
	@scripts/demo.sh stop-emulator

test: venv engine azurite lint ## everything from nothing to all tests passing
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: venv ## unit and emulator tests only (no CLI)
	@$(PY) -m pytest -m "not e2e and not slow" $(PYTEST_ARGS)

lint: venv ## ruff and mypy --strict
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

format: venv ## apply ruff's formatting and fixes
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

bench: venv engine ## run the benchmarks (the provider, the pipeline on both faces, then the plugin against the provider; ~14 min on 2 cores); writes bench/results/
	@command -v wrk >/dev/null || scripts/apt-install.sh wrk
	@$(PY) -m bench
	@$(PY) -m bench.faces

chaos: venv engine ## the full-size chaos run (50 connections, ~20% faults)
	@CHAOS_N=50 $(PY) -m pytest -m chaos -p no:randomly tests/reliability $(PYTEST_ARGS)

clean: ## remove local state (venv, stacks, caches); the CLI cache outside the repo stays
	rm -rf $(VENV) .pulumi .pytest_cache .mypy_cache .ruff_cache
