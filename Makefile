# Two front doors (README): `make build` and `make test`. Each installs what it
# needs into .venv first: make build only the DuckDB path (the package), make
# test the extras for the other engines and the checks, and the Debian
# packages its tests use (scripts/system-packages.sh). docs/development.md
# lists every target.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
export DBT_PROFILES_DIR ?= $(CURDIR)
export DUCKDB_PATH ?= $(CURDIR)/warehouse/user_warehouse.duckdb
# What BI tools read: the marts of the last build that passed, swapped in whole.
export PUBLISH_DIR ?= $(CURDIR)/warehouse/published

.PHONY: build test quick install install-dev system-packages dbt-build publish report audiences semantic \
	validate docs coverage score lint pytest demo-data demo-docs demo-docs-check superset superset-serve clean

# dbt build, publish, report and audience exports (uw build), on the demo data;
# make test adds the dbt unit tests, which a daily build leaves out.
build: install
	mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/uw build $(UW_BUILD_OPTIONS)

# Every check CI runs. The demo build above is made once and read by the
# checks after it, pytest's included (UW_DEMO_DB), so it hashes personal data
# with the salt the tests use (python_tests/conftest.py, TEST_PII_SALT).
test: export PII_SALT = test-salt-not-a-secret
test: UW_BUILD_OPTIONS = --unit-tests
test: install-dev system-packages build demo-docs-check validate coverage score lint pytest

# The fast loop: every model built empty (so SQL compiles and runs), every
# unit test, and sqlfluff on the SQL files changed since the last commit.
quick: install-dev
	mkdir -p warehouse
	DUCKDB_PATH=$(CURDIR)/warehouse/quick.duckdb $(BIN)/dbt build --empty --full-refresh --exclude "test_type:data" \
		--target-path target/quick --quiet
	@changed=$$( { git diff --name-only --diff-filter=d HEAD; git ls-files --others --exclude-standard; } \
		| grep -E '^(models|tests)/.*\.sql$$' || true); \
	if [ -n "$$changed" ]; then $(BIN)/sqlfluff lint $$changed; else echo "no changed SQL to lint"; fi

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) -e ".[dev,postgres,spark]"
	touch $@

# PostgreSQL, a JDK, Chromium and its driver, a CJK font: installed when
# missing as root, otherwise the one command to run is printed.
system-packages:
	bash scripts/system-packages.sh

# The three steps of `uw build`, one at a time.
dbt-build: install
	mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/dbt build

publish: install
	$(BIN)/uw publish

report: install
	$(BIN)/uw report

audiences: install
	$(BIN)/uw export

# The semantic layer's metrics, queried through MetricFlow, against the marts.
semantic: install-dev
	$(BIN)/uw semantic

# Apache Superset in an environment of its own (.venv-superset; its pins clash with ours), with the published
# marts, the semantic layer's metrics and the dashboard 运营日报 (docs/bi.md#apache-superset).
superset: install
	$(BIN)/uw superset install
	$(BIN)/uw superset setup

# Superset on http://127.0.0.1:8088 only.
superset-serve: install
	$(BIN)/uw superset serve

# Great Expectations suites over the marts: what dbt's tests cannot say.
validate: install-dev
	$(BIN)/uw validate

# sqlfluff over the SQL, ruff over the Python.
lint: install-dev
	$(BIN)/sqlfluff lint -p 2 models tests
	$(BIN)/ruff check src python_tests plugins models

# Two workers (the machine's cores); a module's tests stay on one worker, so
# its shared fixtures (a build of the scenario's data) are built once. The
# demo build of `make build` is reused by every test that only reads it.
pytest: install-dev
	cp target/run_results.json warehouse/demo_run_results.json
	UW_DEMO_DB=$(DUCKDB_PATH) UW_DEMO_RUN_RESULTS=$(CURDIR)/warehouse/demo_run_results.json \
		$(BIN)/pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=20

# Rewrite the committed demo seeds (deterministic: same bytes every time).
demo-data: install-dev
	$(BIN)/uw generate --users 3000 --seed 42 --dirty 0.01 --format csv --out seeds/raw --quiet
	mv seeds/raw/_manifest.json seeds/raw/demo_manifest.json

# The dbt docs site, in its own target folder so that the build's run_results.json
# (which publishing reads) stays; browse it with `.venv/bin/dbt docs serve --target-path target/docs`.
docs: install
	$(BIN)/dbt docs generate --target-path target/docs

# Conventions (dbt-score, settings in pyproject.toml): every model, seed and
# macro documented, every model owned and its key tested.
score: install-dev
	DBT_PARTIAL_PARSE=false $(BIN)/dbt-score lint --show failing-items

# docs/demo-outputs.md: the demo outputs the docs show, from the demo build.
demo-docs: install
	$(BIN)/uw demo-docs

demo-docs-check: install
	$(BIN)/uw demo-docs --check

# Documentation and test coverage (dbt-coverage): every column of every
# model, seed and snapshot must stay documented.
coverage: docs install-dev
	$(BIN)/dbt-coverage compute doc --run-artifacts-dir target/docs --cov-report target/coverage-doc.json \
		--cov-fail-under 1.0 > target/coverage-doc.txt || (grep -v '100.0%' target/coverage-doc.txt; exit 1)
	$(BIN)/dbt-coverage compute test --run-artifacts-dir target/docs --cov-report target/coverage-test.json \
		> target/coverage-test.txt
	@echo "documented columns: $$(grep '^Total' target/coverage-doc.txt)"
	@echo "tested columns:     $$(grep '^Total' target/coverage-test.txt)"

clean:
	rm -rf target logs warehouse/*.duckdb*
