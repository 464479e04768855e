# The 287(g) warehouse. Two commands matter: `make build` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RAW_DIR ?= data/sample
WAREHOUSE_DIR ?= warehouse
TEST_WAREHOUSE_DIR ?= warehouse/test
PYTEST_ARGS ?=
# pytest-xdist workers for `make test`: each test module runs whole on one worker (--dist loadfile), and
# the session-wide warehouses are built once for all workers (tests/python/conftest.py, shared_build)
TEST_WORKERS ?= 2
# the e2e tier runs one worker more than the machine has cores: its tests wait on subprocesses, PostgreSQL,
# the browser and the crash test's readers, and a third worker fills those gaps (measured on 2 cores: the
# suite's CPU stayed ~96 % busy until its last 20 s)
E2E_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: build test test-fast lint sample venv clean bench docs browser

# Create .venv and install the pinned tree (constraints.txt) once; redo when the pins change.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

build: $(VENV)/.installed
	$(BIN)/ice287g build --raw-dir $(RAW_DIR) --warehouse-dir $(WAREHOUSE_DIR)

# Headless Chromium for the site's browser test (tests/python/e2e/test_site.py): Debian's `chromium`,
# installed only when no Chromium is found and apt-get is usable (root, or sudo without a password; CI
# runs as root on Debian). Anywhere else it says why and carries on: the test then skips, or fails with CI=true.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	    || command -v google-chrome >/dev/null 2>&1 || [ -n "$$ICE287G_CHROMIUM" ]; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: no Chromium and no apt-get; the site's browser test will skip (or fail with CI=true)"; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi; \
	  if [ "$$SUDO" = none ]; then \
	    echo "browser: no Chromium, and apt-get needs root: run 'sudo apt-get install chromium' for the browser test"; \
	  else \
	    echo "browser: installing Debian's chromium for the site's browser test"; \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || echo "browser: apt-get could not install chromium; the browser test will skip (or fail with CI=true)"; \
	  fi; \
	fi

# pytest (unit, bad-input, real-data suites) and a full `dbt build` on the committed sample.
# The unit and integration tiers need no built warehouse: they run (one process, in the background) while
# the sample builds and then beside the e2e tier (two workers), so both cores stay busy; each tier's output
# follows when it ends, and the target fails when any of the three does.
test: $(VENV)/.installed browser
	rm -rf $(TEST_WAREHOUSE_DIR) && mkdir -p $(dir $(TEST_WAREHOUSE_DIR))
	$(BIN)/python -m pytest -p no:cacheprovider -m "unit or integration" --durations=10 $(PYTEST_ARGS) \
	    > $(TEST_WAREHOUSE_DIR).tiers.log 2>&1 & tiers=$$!; \
	$(BIN)/ice287g build --raw-dir data/sample --warehouse-dir $(TEST_WAREHOUSE_DIR) --strict --unit-tests; built=$$?; \
	if [ $$built -eq 0 ]; then \
	  ICE287G_TEST_BUILT_WAREHOUSE=$(TEST_WAREHOUSE_DIR) $(BIN)/python -m pytest -n $(E2E_WORKERS) --dist loadfile \
	      -m e2e --durations=25 $(PYTEST_ARGS); e2e=$$?; \
	else e2e=1; fi; \
	wait $$tiers; tiers_rc=$$?; echo "--- unit and integration tiers (ran beside the build and the e2e tier)"; \
	cat $(TEST_WAREHOUSE_DIR).tiers.log; \
	test $$built -eq 0 && { test $$e2e -eq 0 || test $$e2e -eq 5; } && { test $$tiers_rc -eq 0 || test $$tiers_rc -eq 5; }

# The quick loop: unit tests, then one sample build (dbt build + tests) and the tests that read it.
# The unit tests run while the sample builds (they need no warehouse); their output follows the build's.
test-fast: $(VENV)/.installed
	rm -rf $(TEST_WAREHOUSE_DIR) && mkdir -p $(dir $(TEST_WAREHOUSE_DIR))
	$(BIN)/python -m pytest -q -p no:cacheprovider -m unit $(PYTEST_ARGS) > $(TEST_WAREHOUSE_DIR).unit.log 2>&1 & unit=$$!; \
	$(BIN)/ice287g build --raw-dir data/sample --warehouse-dir $(TEST_WAREHOUSE_DIR) --strict; built=$$?; \
	wait $$unit; passed=$$?; cat $(TEST_WAREHOUSE_DIR).unit.log; test $$built -eq 0 && test $$passed -eq 0
	ICE287G_TEST_BUILT_WAREHOUSE=$(TEST_WAREHOUSE_DIR) $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "integration and not realdata" $(PYTEST_ARGS)

# Needs no built warehouse: the architecture check runs its own `dbt parse` (target/lint/), and
# sqlfluff's dbt templater only compiles, against an empty scratch work file in target/lint/.
LINT_DIR := target/lint
lint: $(VENV)/.installed
	$(BIN)/ruff check ingest tests bench tools
	$(BIN)/ruff format --check ingest tests bench tools
	$(BIN)/python tools/contract_tests.py --check
	$(BIN)/python tools/column_checks.py --check
	$(BIN)/python tools/architecture_check.py
	mkdir -p $(LINT_DIR)
	ICE287G_DUCKDB_PATH=$(abspath $(LINT_DIR))/work.duckdb $(BIN)/sqlfluff lint models macros tests/dbt

sample: $(VENV)/.installed
	$(BIN)/ice287g sample --dest data/sample

# Ingest of ../shared/ice_287g_archive and of realdata's ICE sheets beside the calamine floor (bench/README.md).
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_archive.py --skip-build $(BENCH_ARGS)
	$(BIN)/python bench/bench_build.py

docs: $(VENV)/.installed
	ICE287G_DUCKDB_PATH=$(abspath $(WAREHOUSE_DIR))/work.duckdb $(BIN)/dbt docs generate --profiles-dir profiles

clean:
	rm -rf $(WAREHOUSE_DIR) target logs
