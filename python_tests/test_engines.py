"""The same models on PostgreSQL (docs/engines.md): equal marts, and a BI role that reads the marts only and gets
Superset's metrics as DuckDB gives them.

Needs PostgreSQL (scripts/postgres.sh installs and starts it; .ci/run does).
The demo seeds are built on DuckDB and on PostgreSQL, in a database of their
own, with the same salt; every mart must be equal (uw compare-engines).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import pathlib
import subprocess

import psycopg2
import pytest

from user_warehouse import compare_engines, superset

from conftest import BIN, ROOT, TEST_PII_SALT, demo_sample_by_day, run_dbt, use_as_seeds
from doc_commands import Block, doc_blocks, run_block, sandbox
from test_superset import duckdb_fetch, manifests, metric_values, same

DATABASE = "user_warehouse_test"
# every schema dbt writes besides the published marts: raw data, staging and
# its rejects (which hold personal data), intermediate, reference seeds,
# snapshots, and the marts as dbt builds them (published by uw publish)
CLOSED_SCHEMAS = ["raw", "staging", "intermediate", "reference", "snapshots", "marts_build"]
POSTGRES_BUILD = [str(BIN / "uw"), "build", "--target", "postgres"]
NO_TESTS = ["test_type:unit", "test_type:data"]


def test_every_relation_dbt_creates_fits_a_postgres_name() -> None:
    """PostgreSQL cuts identifiers at 63 bytes and dbt refuses longer relation names there; models, snapshots,
    seeds and unit tests (each a relation of its own) are named within it, checked here without a server."""
    import yaml

    names = [path.stem for folder in ("models", "seeds", "snapshots") for path in (ROOT / folder).rglob("*.sql")]
    names += [path.stem for path in (ROOT / "seeds").rglob("*.csv")]
    for path in (ROOT / "models").rglob("*.yml"):
        names += [test["name"] for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", [])]
    assert len(names) > 200
    assert [name for name in names if len(name.encode()) > 63] == []


def test_value_text_writes_equal_values_alike() -> None:
    assert compare_engines.value_text(0.1 + 0.2) == compare_engines.value_text(decimal.Decimal("0.3"))
    assert compare_engines.value_text(-1e-9) == "0.000000"
    assert compare_engines.value_text(None) == "\\N"
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert compare_engines.value_text(dt.datetime(2024, 1, 1, 8, tzinfo=shanghai)) == compare_engines.value_text(
        dt.datetime(2024, 1, 1, 0)
    )
    assert compare_engines.value_text(True) == "true"
    assert compare_engines.value_text(dt.date(2024, 2, 29)) == "2024-02-29"
    # and a different value gives a different hash
    assert compare_engines.fingerprint([(1, "a")]) != compare_engines.fingerprint([(1, "b")])
    assert compare_engines.fingerprint([(1,), (2,)]) == compare_engines.fingerprint([(2,), (1,)])


@pytest.fixture(scope="module")
def postgres_env() -> dict[str, str]:
    env = {
        **os.environ,
        "PGDATABASE": DATABASE,
        "PGHOST": os.environ.get("PGHOST", "localhost"),
        "PGUSER": os.environ.get("PGUSER", "dbt"),
        "PGPASSWORD": os.environ.get("PGPASSWORD", "dbt"),
    }
    # the tests' own database, made anew, so that no earlier run's tables carry over
    for step in ("start", "drop", "create"):
        if step == "drop":
            command = [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-q",
                "-d",
                "postgres",
                "-c",
                f"drop database if exists {DATABASE} with (force)",
            ]
        else:
            command = ["bash", str(ROOT / "scripts" / "postgres.sh")]
        done = subprocess.run(command, env=env, cwd="/", capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"PostgreSQL ({step}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    return env


def test_postgres_builds_the_marts_duckdb_builds_and_bi_reader_reads_only_them(
    postgres_env, demo, tmp_path, monkeypatch
) -> None:
    """The PostgreSQL commands the docs give, as a reader runs them after `make build`: start PostgreSQL, build
    around the fit and publish, compare every mart with DuckDB's."""
    project, env = sandbox(tmp_path, demo)
    env.update({name: value for name, value in postgres_env.items() if name.startswith("PG")})
    commands = list(
        dict.fromkeys(
            command.split(" #")[0].strip()
            for block in sorted(doc_blocks("postgres"), key=lambda b: b.doc != "docs/engines.md")
            for command in block.commands
            if "load-raw" not in command and "raw_source: warehouse" not in command
        )
    )
    assert any(command.endswith("uw build --target postgres --unit-tests") for command in commands), commands
    assert any("compare-engines" in command for command in commands), commands
    run_block(Block("docs (postgres)", "postgres", tuple(commands)), project, env, tmp_path)

    for name, value in postgres_env.items():
        if name.startswith("PG"):
            monkeypatch.setenv(name, value)
    duck_marts, postgres_marts = compare_engines.duckdb_marts(demo.db), compare_engines.postgres_marts()
    assert len(duck_marts) >= 25
    assert compare_engines.engine_differences(duck_marts, postgres_marts) == []  # DuckDB first

    with postgres_env_connection(postgres_env) as owner, owner.cursor() as owner_cursor:
        owner_cursor.execute(
            "select table_schema, table_name from information_schema.tables where table_schema = any(%s)",
            [CLOSED_SCHEMAS],
        )
        closed = owner_cursor.fetchall()
    assert {schema for schema, _ in closed} >= {"raw", "staging", "intermediate", "reference", "marts_build"}

    reader = psycopg2.connect(
        host=postgres_env["PGHOST"],
        dbname=DATABASE,
        user="bi_reader",
        password=os.environ.get("BI_READER_PASSWORD", "bi_reader"),
    )
    reader.autocommit = True  # each refused statement on its own
    try:
        cursor = reader.cursor()
        cursor.execute("select table_name from information_schema.tables where table_schema = 'marts'")
        marts = [name for (name,) in cursor.fetchall()]
        assert len(marts) >= 25
        for mart in marts:
            cursor.execute(f'select count(*) from marts."{mart}"')
        cursor.execute("select count(*) from marts.dim_users")
        assert cursor.fetchone()[0] > 0
        for schema in CLOSED_SCHEMAS:
            # information_schema lists only what the role may use: nothing. The marts as dbt
            # built them are listed (dbt granted select on each, which publish carries to the
            # copy), but the role has no usage of their schema: it cannot read them (below).
            if schema != "marts_build":
                cursor.execute("select table_name from information_schema.tables where table_schema = %s", [schema])
                assert cursor.fetchall() == [], schema
        for schema, table in closed:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cursor.execute(f'select 1 from "{schema}"."{table}" limit 1')
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("create table marts.bi_scratch (x int)")
        # Superset's metrics (docs/bi.md#apache-superset) run as this role on PostgreSQL and give DuckDB's numbers
        key_metrics = superset.datasets(manifests(demo))[superset.KEY_METRICS]

        def on_postgres(sql: str) -> list[tuple]:
            cursor.execute(sql)
            return cursor.fetchall()

        for period in ("day", "month"):
            duck = metric_values(duckdb_fetch(demo.db), key_metrics, period)
            postgres = metric_values(on_postgres, key_metrics, period)
            assert set(postgres) == set(duck), period
            unequal = [
                (period, day, name, value, duck[day][name])
                for day, values in postgres.items()
                for name, value in values.items()
                if not same(value, duck[day][name])
            ]
            assert unequal == []
    finally:
        reader.close()


def test_postgres_builds_from_raw_tables_loaded_from_files(postgres_env, tmp_path) -> None:
    """The documented path for your own data on PostgreSQL, at a small size: raw files loaded into tables, then
    `uw build` with raw_source warehouse."""
    project, env = sandbox(tmp_path)
    env.update({name: value for name, value in postgres_env.items() if name.startswith("PG")})
    env["PGOPTIONS"] = f"-c warehouse.pii_salt={TEST_PII_SALT}"
    (block,) = [block for block in doc_blocks("postgres") if any("load-raw" in c for c in block.commands)]
    generated = subprocess.run(
        [str(BIN / "uw"), "generate", "--users", "300", "--out", "data/raw", "--quiet"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr[-2000:]
    run_block(block, project, env, tmp_path)


def test_postgres_publish_swaps_the_marts_in_whole_without_waiting_for_readers(postgres_env, tmp_path) -> None:
    """A reader in the middle of a transaction keeps reading; the publish does not wait for it."""
    passed = tmp_path / "run_results.json"  # a build that passed, so that publish goes ahead
    passed.write_text(
        json.dumps(
            {
                "args": {"which": "build"},
                "results": [{"unique_id": "model.user_warehouse.publish_probe", "status": "success"}],
            }
        )
    )
    reader = psycopg2.connect(
        host=postgres_env["PGHOST"],
        dbname=DATABASE,
        user="bi_reader",
        password=os.environ.get("BI_READER_PASSWORD", "bi_reader"),
    )
    with postgres_env_connection(postgres_env) as owner, owner.cursor() as cursor:
        cursor.execute("create schema if not exists marts_build")
        cursor.execute("drop table if exists marts_build.publish_probe")
        cursor.execute("create table marts_build.publish_probe as select 1 as version")
        cursor.execute("grant select on marts_build.publish_probe to bi_reader")
    try:
        assert publish_postgres(postgres_env, passed).returncode == 0
        cursor = reader.cursor()  # a transaction stays open: it holds the published tables
        cursor.execute("select version from marts.publish_probe")
        assert cursor.fetchall() == [(1,)]
        with postgres_env_connection(postgres_env) as owner, owner.cursor() as owner_cursor:
            owner_cursor.execute("update marts_build.publish_probe set version = 2")
        second = publish_postgres(postgres_env, passed)
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
        cursor.execute("select version from marts.publish_probe")  # the next statement sees the new schema
        assert cursor.fetchall() == [(2,)]
        reader.rollback()
        with postgres_env_connection(postgres_env) as owner, owner.cursor() as owner_cursor:
            owner_cursor.execute("select count(*) from pg_namespace where nspname like 'marts_retired_%%'")
            assert owner_cursor.fetchone()[0] == 1  # the replaced schema a reader held stays, for now
        assert publish_postgres(postgres_env, passed).returncode == 0
        with postgres_env_connection(postgres_env) as owner, owner.cursor() as owner_cursor:
            owner_cursor.execute(
                "select count(*) from pg_namespace where nspname like 'marts_retired_%%'"
                " or nspname like 'marts_publishing_%%'"
            )
            assert owner_cursor.fetchone()[0] == 0
    finally:
        reader.close()
        with postgres_env_connection(postgres_env) as owner, owner.cursor() as owner_cursor:
            owner_cursor.execute("drop table if exists marts_build.publish_probe")


def test_postgres_builds_a_new_day_incrementally_into_the_marts_duckdb_builds_whole(postgres_env, tmp_path) -> None:
    """A sample made like the demo, split into history and a new day with uw split-days' edge cases: PostgreSQL
    builds the history (a full refresh: the database holds other tests' tables), then the new day incrementally
    and publishes; every mart equals DuckDB's full build of history and new day."""
    project, env = sandbox(tmp_path)
    env.update({name: value for name, value in postgres_env.items() if name.startswith("PG")})
    env["PGOPTIONS"] = f"-c warehouse.pii_salt={TEST_PII_SALT}"
    sample = demo_sample_by_day(300, tmp_path / "sample")
    steps = [
        ("full", [str(BIN / "dbt"), "build", "--exclude", "test_type:unit"]),
        ("history", [*POSTGRES_BUILD, "--no-publish", "--full-refresh", "--exclude", *NO_TESTS]),
        ("full", [*POSTGRES_BUILD, "--exclude", "test_type:unit"]),
        ("full", [str(BIN / "uw"), "compare-engines", "--duckdb", "warehouse/user_warehouse.duckdb"]),
    ]
    for seeds, command in steps:
        use_as_seeds(sample[seeds], project)
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.stdout.strip().splitlines()[-1].endswith("on postgres: equal"), done.stdout[-2000:]

    # the second build was incremental: it typed the new day's few rows and rebuilt only the changed devices
    with postgres_env_connection(postgres_env) as owner, owner.cursor() as cursor:
        for model in ("staging.base_events_typed", "intermediate.int_device_events"):
            cursor.execute(f"select load_batch, count(*) from {model} group by 1 order by 1")
            batches = cursor.fetchall()
            assert len(batches) == 2 and batches[1][1] < 0.2 * batches[0][1], (model, batches)


def test_postgres_without_a_fit_stops_naming_the_step_it_needs(postgres_env, tmp_path) -> None:
    """dbt-postgres runs no dbt Python models, so the predicted-value fit is a step outside dbt: a plain dbt run
    before any fit must stop with a message naming that step, not with a database error about a missing table."""
    with postgres_env_connection(postgres_env) as owner, owner.cursor() as cursor:
        cursor.execute("drop table if exists intermediate.clv_fit")
    result = run_dbt(
        ["run", "--target", "postgres", "-s", "int_clv_parameters"],
        tmp_path / "unused.duckdb",
        env={**postgres_env, "PGOPTIONS": f"-c warehouse.pii_salt={TEST_PII_SALT}"},
    )
    assert result.returncode != 0
    assert "the predicted-value fit runs outside dbt" in result.stdout, result.stdout[-2000:]
    assert "uw build --target postgres" in result.stdout


def publish_postgres(env: dict[str, str], run_results: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "uw"), "publish", "--engine", "postgres", "--run-results", str(run_results)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def postgres_env_connection(env: dict[str, str]):
    return psycopg2.connect(host=env["PGHOST"], dbname=DATABASE, user=env["PGUSER"], password=env["PGPASSWORD"])
