"""Bring your own data (docs/raw-contract.md): files or warehouse tables chosen by vars alone,
missing optional relations and columns tolerated, wrong settings stopped at once."""

from __future__ import annotations

import pathlib

import duckdb
import pyarrow.parquet as pq
import pytest

from user_warehouse import generate as gen
from user_warehouse import validate as validate_marts

from conftest import run_dbt

STAGING = ["stg_users", "stg_events", "stg_orders", "stg_order_items", "stg_feedback"]
# The whole project is built on the raw data under test: every model and test.
SELECT: list[str] = []


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("raw_parquet")
    gen.generate(1000, folder, "parquet", seed=21, dirty=0.08)
    return folder


def _query(db: pathlib.Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _copy_without(
    src: pathlib.Path,
    dst: pathlib.Path,
    drop_relation: str | tuple[str, ...] | None = None,
    drop_columns: dict[str, list[str]] | None = None,
) -> pathlib.Path:
    dst.mkdir()
    dropped = (drop_relation,) if isinstance(drop_relation, str) else (drop_relation or ())
    for relation in gen.COLUMNS:
        if relation in dropped:
            continue
        table = pq.read_table(src / f"{relation}.parquet")
        table = table.drop_columns((drop_columns or {}).get(relation, []))
        pq.write_table(table, dst / f"{relation}.parquet")
    return dst


@pytest.fixture(scope="module")
def parquet_build(parquet_dir, tmp_path_factory) -> pathlib.Path:
    """The Parquet files built once, for every test that only reads the result."""
    db = tmp_path_factory.mktemp("parquet_build") / "w.duckdb"
    result = run_dbt(["build", *SELECT], db, {"raw_source": "files", "raw_path": str(parquet_dir)})
    assert result.returncode == 0, result.stdout[-3000:]
    return db


def test_parquet_files_build_and_every_row_is_accounted_for(parquet_dir, parquet_build) -> None:
    db = parquet_build
    manifest = (parquet_dir / "_manifest.json").read_text()
    books = dict(_query(db, "select relation, raw_rows from marts.data_quality_staging"))
    for relation, rows in gen.json.loads(manifest)["rows"].items():
        assert books[relation] == rows, relation
    reasons = {r for (r,) in _query(db, "select distinct reject_reason from marts.data_quality_rejects")}
    assert {
        "null_key",
        "duplicate_key",
        "unparseable_timestamp",
        "future_timestamp",
        "negative_amount",
        "unknown_status",
        "orphan_foreign_key",
        "invalid_rating",
    } <= reasons
    assert _query(db, "select count(*) from staging.stg_events where not is_known_event_type")[0][0] > 0


def test_csv_files_build_the_same_as_parquet(parquet_build, tmp_path) -> None:
    csv_dir = tmp_path / "csv"
    gen.generate(1000, csv_dir, "csv", seed=21, dirty=0.08)
    db_csv, db_pq = tmp_path / "csv.duckdb", parquet_build
    result = run_dbt(["build", *SELECT], db_csv, {"raw_source": "files", "raw_path": str(csv_dir)})
    assert result.returncode == 0, result.stdout[-3000:]
    sql = "select * from marts.data_quality_rejects order by 1"
    assert _query(db_csv, sql) == _query(db_pq, sql)
    sql = "select sum(amount), count(*), max(ordered_at) from staging.stg_orders"
    assert _query(db_csv, sql) == _query(db_pq, sql)


def test_warehouse_tables_by_schema_name(parquet_dir, tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema landing")
        for relation in gen.COLUMNS:
            con.execute(
                f"create table landing.{relation} as select * from read_parquet(?)",
                [str(parquet_dir / f"{relation}.parquet")],
            )
    result = run_dbt(["build", *SELECT], db, {"raw_source": "warehouse", "raw_schema": "landing"})
    assert result.returncode == 0, result.stdout[-3000:]
    assert _query(db, "select sum(raw_rows) from marts.data_quality_staging")[0][0] == sum(
        gen.json.loads((parquet_dir / "_manifest.json").read_text())["rows"].values()
    )


def test_missing_optional_relation_and_columns_build_with_nulls(parquet_dir, tmp_path) -> None:
    folder = _copy_without(
        parquet_dir,
        tmp_path / "raw",
        drop_relation="raw_feedback",
        drop_columns={"raw_users": ["city", "gender"], "raw_events": ["utm_campaign"]},
    )
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build", *SELECT], db, {"raw_source": "files", "raw_path": str(folder)})
    assert result.returncode == 0, result.stdout[-3000:]
    assert "raw_feedback was not found" in result.stdout
    assert _query(db, "select count(*) from staging.stg_feedback") == [(0,)]
    assert _query(db, "select count(*), count(city), count(gender) from staging.stg_users")[0][1:] == (0, 0)


def test_orders_only_data_builds_and_passes_every_suite(parquet_dir, tmp_path) -> None:
    """docs/recipes.md, "Orders only": no events and no feedback; the marts that need events are empty and
    the Great Expectations suites still pass (they failed before: channel shares summed over months without
    sessions)."""
    folder = _copy_without(parquet_dir, tmp_path / "raw", drop_relation=("raw_events", "raw_feedback"))
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build", *SELECT], db, {"raw_source": "files", "raw_path": str(folder)})
    assert result.returncode == 0, result.stdout[-3000:]
    assert _query(db, "select count(*) from marts.fct_events") == [(0,)]
    assert _query(db, "select count(*) > 0 from marts.user_rfm") == [(True,)]
    summaries = validate_marts.validate(db, tmp_path / "out")
    assert [s["suite"] for s in summaries if s["failed"]] == []


def test_missing_required_column_names_relation_and_column(parquet_dir, tmp_path) -> None:
    folder = _copy_without(parquet_dir, tmp_path / "raw", drop_columns={"raw_orders": ["amount"]})
    result = run_dbt(["build", *SELECT], tmp_path / "w.duckdb", {"raw_source": "files", "raw_path": str(folder)})
    assert result.returncode != 0
    assert "raw relation raw_orders has no column 'amount'" in result.stdout


@pytest.mark.parametrize(
    ("dbt_vars", "message"),
    [
        ({"raw_source": "bogus"}, "var raw_source is 'bogus'; allowed values: seeds, files, warehouse"),
        ({"raw_source": "files", "raw_path": "/nonexistent/folder"}, "var raw_path is '/nonexistent/folder'"),
        ({"as_of_date": "2024-02-30x"}, "var as_of_date is '2024-02-30x'; it must be a date written YYYY-MM-DD"),
    ],
)
def test_wrong_settings_stop_the_run_with_a_clear_message(tmp_path, dbt_vars, message) -> None:
    result = run_dbt(["build", *SELECT], tmp_path / "w.duckdb", dbt_vars)
    assert result.returncode != 0
    assert message in result.stdout
    assert "OK created" not in result.stdout


def test_explicit_as_of_date_is_used(parquet_dir, tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    result = run_dbt(
        ["build", "--select", "+int_as_of_date", "--indirect-selection", "cautious"],
        db,
        {"raw_source": "files", "raw_path": str(parquet_dir), "as_of_date": "2023-12-31"},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert str(_query(db, "select as_of_date from intermediate.int_as_of_date")[0][0]) == "2023-12-31"
