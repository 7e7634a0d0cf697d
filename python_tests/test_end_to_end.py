"""End to end: dirty data through raw_source files, and idempotent builds."""

from __future__ import annotations

import json
import pathlib
import shutil

import duckdb
import pandas as pd
import pytest

from user_warehouse import generate as gen
from user_warehouse import validate as validate_marts

from conftest import run_dbt

# Which reject reason each kind of injected bad row ends in.
REASON_OF_KIND = {
    "null_key": "null_key",
    "duplicate_key": "duplicate_key",
    "unparseable_timestamp": "unparseable_timestamp",
    "future_timestamp": "future_timestamp",
    "negative_amount": "negative_amount",
    "unknown_status": "unknown_status",
    "orphan_foreign_key": "orphan_foreign_key",
    "out_of_range_rating": "invalid_rating",
}


def _one(db: pathlib.Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def dirty_build(tmp_path_factory) -> tuple[pathlib.Path, pathlib.Path, pathlib.Path]:
    work = tmp_path_factory.mktemp("e2e")
    clean, dirty = work / "clean", work / "dirty"
    gen.generate(3000, clean, "parquet", seed=77, dirty=0.0)
    gen.generate(3000, dirty, "parquet", seed=77, dirty=0.05)
    db = work / "dirty.duckdb"
    result = run_dbt(["build"], db, {"raw_source": "files", "raw_path": str(dirty)})
    assert result.returncode == 0, result.stdout[-3000:]
    return clean, dirty, db


def test_dirty_data_builds_and_validates(dirty_build, tmp_path) -> None:
    _, _, db = dirty_build
    failed = [s for s in validate_marts.validate(db, tmp_path / "out") if s["failed"]]
    assert failed == []


def test_every_raw_row_is_accounted_for_by_reason(dirty_build) -> None:
    _, dirty, db = dirty_build
    manifest = json.loads((dirty / "_manifest.json").read_text())
    books = {
        r[0]: r[1:]
        for r in _one(
            db,
            "select relation, raw_rows, staged_rows, rejected_rows, duplicates_removed from marts.data_quality_staging",
        )
    }
    reasons = {}
    for relation, reason, rows in _one(
        db, "select relation, reject_reason, rejected_rows from marts.data_quality_rejects"
    ):
        reasons.setdefault(relation, {})[reason] = rows
    for relation, rows in manifest["rows"].items():
        raw, staged, rejected, folded = books[relation]
        assert raw == rows == staged + rejected + folded, relation
        assert folded >= manifest["dirty"][relation]["exact_duplicate"], relation
        assert rejected == sum(reasons.get(relation, {}).values()), relation
        for kind, count in manifest["dirty"][relation].items():
            if kind in REASON_OF_KIND and count:
                assert reasons[relation].get(REASON_OF_KIND[kind], 0) >= 1, (relation, kind)


def test_marts_equal_the_clean_rows_that_were_kept(dirty_build) -> None:
    clean, dirty, db = dirty_build
    as_of = _one(db, "select as_of_date from intermediate.int_as_of_date")[0][0]
    staged_orders = {r[0] for r in _one(db, "select order_id from staging.stg_orders")}
    staged_events = {r[0] for r in _one(db, "select event_id from staging.stg_events")}
    orders = pd.read_parquet(clean / "raw_orders.parquet")
    orders = orders[orders["order_id"].isin(staged_orders)]
    valid = orders[
        orders["status"].isin(["paid", "completed"]) & (pd.to_datetime(orders["ordered_at"]).dt.date <= as_of)
    ]
    revenue = _one(db, "select sum(revenue), sum(orders) from marts.metrics_daily")[0]
    assert float(revenue[0]) == pytest.approx(valid["amount"].astype(float).sum(), abs=0.005)
    assert revenue[1] == len(valid)
    events = pd.read_parquet(clean / "raw_events.parquet", columns=["event_id", "event_type", "event_time"])
    # Rows whose event type was spoiled are kept as generic interactions: not page views any more.
    spoiled = pd.read_parquet(dirty / "raw_events.parquet", columns=["event_id", "event_type"]).query(
        "event_type == 'hover_banner'"
    )["event_id"]
    kept = events[
        events["event_id"].isin(staged_events)
        & ~events["event_id"].isin(spoiled)
        & (events["event_type"] == "page_view")
        & (pd.to_datetime(events["event_time"]).dt.date <= as_of)
    ]
    assert _one(db, "select sum(pv) from marts.metrics_daily")[0][0] == len(kept)


def _fingerprints(db: pathlib.Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {m: con.execute(f"select count(*), bit_xor(hash(t)) from marts.{m} as t").fetchone() for m in marts}


def test_builds_are_idempotent_and_the_default_as_of_date_is_explicit(demo, tmp_path) -> None:
    """The shared demo build, built again over a copy of itself, gives the same marts."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(demo.db, db)
    first = _fingerprints(db)
    # the rebuilds check that the same input gives the same marts; the data tests passed on it above
    rebuild = ["build", "--exclude", "test_type:data", "test_type:unit"]
    assert run_dbt(rebuild, db).returncode == 0
    assert _fingerprints(db) == first
    as_of = str(_one(db, "select as_of_date from intermediate.int_as_of_date")[0][0])
    result = run_dbt(rebuild, db, {"as_of_date": as_of})
    assert result.returncode == 0, result.stdout[-3000:]
    assert _fingerprints(db) == first
    assert len(first) >= 25
