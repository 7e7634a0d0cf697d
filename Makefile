# Two front doors (README): `make build` and `make test`. Each installs what it
# needs into .venv first, so both work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR ?= $(CURDIR)
export DUCKDB_PATH ?= $(CURDIR)/warehouse/user_warehouse.duckdb

.PHONY: build test install dbt-build validate lint pytest demo-data docs clean

build: install dbt-build

test: install dbt-build validate lint pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Seeds, models, snapshots, unit tests and data tests, in dependency order.
dbt-build:
	mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/dbt build

# Great Expectations suites over every mart (scripts/validate_marts.py).
validate:
	$(BIN)/python scripts/validate_marts.py --db $(DUCKDB_PATH)

lint:
	$(BIN)/sqlfluff lint models tests

pytest:
	$(BIN)/pytest

# Rewrite the committed demo seeds (deterministic: same bytes every time).
demo-data: install
	$(BIN)/python scripts/generate_data.py --users 3000 --seed 42 --dirty 0.01 --format csv --out seeds/raw
	mv seeds/raw/_manifest.json seeds/raw/demo_manifest.json

docs: install
	$(BIN)/dbt docs generate

clean:
	rm -rf target logs warehouse/*.duckdb*
