# Two front doors (README): `make build` and `make test`. Each installs what it
# needs into .venv first, so both work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR ?= $(CURDIR)
export DUCKDB_PATH ?= $(CURDIR)/warehouse/user_warehouse.duckdb
# What BI tools read: the marts of the last build that passed, swapped in whole.
export PUBLISH_DIR ?= $(CURDIR)/warehouse/published

.PHONY: build test quick install dbt-build publish report audiences semantic validate docs coverage score lint pytest demo-data demo-docs demo-docs-check clean

build: install dbt-build publish report audiences

test: install dbt-build publish report audiences demo-docs-check validate coverage score lint pytest

# The fast loop: every model built empty (so SQL compiles and runs), every
# unit test, and sqlfluff on the SQL files changed since the last commit.
quick: install
	mkdir -p warehouse
	DUCKDB_PATH=$(CURDIR)/warehouse/quick.duckdb $(BIN)/dbt build --empty --full-refresh --exclude "test_type:data" \
		--target-path target/quick --quiet
	@changed=$$( { git diff --name-only --diff-filter=d HEAD; git ls-files --others --exclude-standard; } \
		| grep -E '^(models|tests)/.*\.sql$$' || true); \
	if [ -n "$$changed" ]; then $(BIN)/sqlfluff lint $$changed; else echo "no changed SQL to lint"; fi

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Seeds, models, snapshots, unit tests and data tests, in dependency order.
dbt-build: install
	mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/dbt build

# Publish the marts for BI tools, only after dbt build passed (make stops on
# a failed build): a read-only DuckDB file and Parquet files, each swapped in
# with one rename (scripts/publish.py).
publish: install
	$(BIN)/python scripts/publish.py --db $(DUCKDB_PATH) --out $(PUBLISH_DIR)

# The daily operations report (运营日报): one HTML file from the published
# marts that opens in any browser without a network (scripts/report.py).
report: install
	$(BIN)/python scripts/report.py --db $(PUBLISH_DIR)/user_warehouse.duckdb --out reports/report.html

# One CSV and one Parquet file per audience for CRM uploads, contact hashed
# and masked only (scripts/export_audiences.py; docs/audiences.md).
audiences: install
	$(BIN)/python scripts/export_audiences.py --db $(PUBLISH_DIR)/user_warehouse.duckdb --out $(dir $(PUBLISH_DIR))audiences

# The semantic layer's metrics, queried through MetricFlow, against the marts
# (scripts/check_semantic_layer.py; pytest runs it too).
semantic: install
	$(BIN)/python scripts/check_semantic_layer.py --db $(DUCKDB_PATH)

# Great Expectations suites over every mart (scripts/validate_marts.py).
validate: install
	$(BIN)/python scripts/validate_marts.py --db $(DUCKDB_PATH)

lint: install
	$(BIN)/sqlfluff lint -p 2 models tests

# Two workers (the machine's cores); a module's tests stay on one worker, so
# its shared fixtures (a build of the scenario's data) are built once. Modules
# start in collection order, the longest (Spark) first (conftest.py): xdist
# would otherwise start the modules with the most tests first, and Spark's one
# test last.
pytest: install
	$(BIN)/pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=10

# Rewrite the committed demo seeds (deterministic: same bytes every time).
demo-data: install
	$(BIN)/python scripts/generate_data.py --users 3000 --seed 42 --dirty 0.01 --format csv --out seeds/raw --quiet
	mv seeds/raw/_manifest.json seeds/raw/demo_manifest.json

# The dbt docs site (target/index.html; browse it with `.venv/bin/dbt docs serve`).
docs: install
	$(BIN)/dbt docs generate

# Conventions (dbt-score, settings in pyproject.toml): every model, seed and
# macro documented, every model owned and its key tested.
score: install
	DBT_PARTIAL_PARSE=false $(BIN)/dbt-score lint --show failing-items

# docs/demo-outputs.md: the demo outputs the docs show, from the demo build.
demo-docs: install
	$(BIN)/python scripts/demo_outputs.py --db $(DUCKDB_PATH)

demo-docs-check: install
	$(BIN)/python scripts/demo_outputs.py --db $(DUCKDB_PATH) --check

# Documentation and test coverage (dbt-coverage): every column of every
# model, seed and snapshot must stay documented.
coverage: docs
	$(BIN)/dbt-coverage compute doc --cov-report target/coverage-doc.json --cov-fail-under 1.0 \
		> target/coverage-doc.txt || (grep -v '100.0%' target/coverage-doc.txt; exit 1)
	$(BIN)/dbt-coverage compute test --cov-report target/coverage-test.json > target/coverage-test.txt
	@echo "documented columns: $$(grep '^Total' target/coverage-doc.txt)"
	@echo "tested columns:     $$(grep '^Total' target/coverage-test.txt)"

clean:
	rm -rf target logs warehouse/*.duckdb*
