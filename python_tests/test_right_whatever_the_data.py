"""The numbers are right whatever the data (docs/raw-contract.md–§4, §8, §10): one as-of
cut, robust time, identity that resists shared devices, one currency.

Each test names the case it covers; each failed on the code before the fix."""

from __future__ import annotations

import pathlib
import re

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from user_warehouse import generate as gen

from conftest import run_dbt

USER_GRAIN_MARTS = ["dim_users", "user_membership", "user_lifecycle", "user_journey", "user_churn_warning"]
SHARED_DEVICE = "tablet-in-shop"
# A record's date or time compared with the as-of date: the cut, made again.
RECORD_DATE_CUT = re.compile(
    r"(event|order|session|submitted|registration|activity|status)_(date|time|at)\s*<=\s*"
    r"(\{\{ as_of_date\(\) \}\}|as_of\.as_of_date)|(ordered|registered|submitted)_at\s*(as date\))?\s*<=\s*"
    r"(\{\{ as_of_date\(\) \}\}|as_of\.as_of_date)"
)


def _query(db: pathlib.Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _scalar(db: pathlib.Path, sql: str):
    return _query(db, sql)[0][0]


# --- the demo seeds at an explicit as_of_date ----------------------------------------------------


@pytest.fixture(scope="module")
def demo_march(tmp_path_factory) -> pathlib.Path:
    work = tmp_path_factory.mktemp("demo_march")
    db = work / "w.duckdb"
    result = run_dbt(["build"], db, {"as_of_date": "2024-03-31"})
    assert result.returncode == 0, result.stdout[-3000:]
    return db


def test_case1_every_user_grain_mart_covers_the_users_registered_by_as_of(demo_march) -> None:
    registered = {
        r[0]
        for r in _query(
            demo_march, "select user_id from staging.stg_users where cast(registered_at as date) <= date '2024-03-31'"
        )
    }
    assert 0 < len(registered) < _scalar(demo_march, "select count(*) from staging.stg_users")
    for mart in USER_GRAIN_MARTS:
        assert {r[0] for r in _query(demo_march, f"select user_id from marts.{mart}")} == registered, mart
    tagged = {r[0] for r in _query(demo_march, "select distinct user_id from marts.user_tags")}
    assert tagged <= registered
    assert {r[0] for r in _query(demo_march, "select user_id from marts.user_rfm")} <= registered
    lifecycle_share = _scalar(
        demo_march, "select sum(share_of_users) from marts.tag_summary where tag_group = 'lifecycle'"
    )
    assert lifecycle_share == pytest.approx(1.0)


def test_case1_no_mart_reads_past_as_of(demo_march) -> None:
    checks = {
        "fct_events": "max(event_date)",
        "fct_orders": "max(order_date)",
        "fct_sessions": "max(session_date)",
        "metrics_daily": "max(date_day)",
        "dim_users": "max(cast(last_order_at as date))",
    }
    for mart, expression in checks.items():
        assert _scalar(demo_march, f"select {expression} from marts.{mart}") <= pd.Timestamp("2024-03-31").date()


def test_case1_the_cut_is_made_once(root: pathlib.Path) -> None:
    """Only the as-of models read staging's time-bound relations; no mart re-applies the cut."""
    offenders = []
    for path in sorted((root / "models").rglob("*.sql")):
        rel = path.relative_to(root / "models").as_posix()
        text = path.read_text()
        if rel.startswith(("staging/", "intermediate/as_of/", "marts/data_quality/")):
            continue
        for staged in ("stg_users", "stg_events", "stg_orders", "stg_order_items", "stg_feedback"):
            if f"ref('{staged}')" in text:
                offenders.append(f"{rel} reads {staged}")
        if RECORD_DATE_CUT.search(text):
            offenders.append(f"{rel} re-applies the as-of cut")
    assert offenders == []


def test_case10_funnel_never_rises_and_counts_visitors(demo_march) -> None:
    rising = _scalar(demo_march, "select count(*) from marts.journey_funnel where step_conversion > 1")
    assert rising == 0
    reached = _scalar(
        demo_march,
        "select persons_in_order from marts.journey_funnel where dimension = 'overall' and stage = 'reached'",
    )
    assert reached == _scalar(demo_march, "select count(distinct person_id) from marts.fct_events")
    registered = _scalar(demo_march, "select count(*) from marts.dim_users")
    assert reached > registered
    skipped = _scalar(
        demo_march,
        "select count(*) from marts.user_journey"
        " where referred_at is not null and purchased_at is null"
        " and furthest_stage_order >= 4",
    )
    assert skipped == 0


def test_case11_inactivity_fires_for_users_with_one_activity_date(demo_march) -> None:
    assert _scalar(demo_march, "select count(*) from marts.user_churn_warning where usual_revisit_days is null") == 0
    missed = _scalar(
        demo_march,
        """
        select count(*) from marts.user_churn_warning
        where days_since_last_visit > 2 * usual_revisit_days and not inactive_too_long""",
    )
    assert missed == 0
    churned_low = _scalar(
        demo_march,
        """
        select count(*) from marts.user_churn_warning as churn
        inner join marts.user_lifecycle as lifecycle on churn.user_id = lifecycle.user_id
        where lifecycle.lifecycle_status = 'churned' and churn.days_since_last_visit > 2 * churn.usual_revisit_days
          and churn.risk_level = 'low'""",
    )
    assert churned_low == 0


def test_case7_orphans_have_no_parent_in_raw(demo_march) -> None:
    reasons = dict(_query(demo_march, "select reject_reason, count(*) from staging.stg_events_rejects group by 1"))
    assert reasons.get("parent_rejected", 0) > 0
    wrongly_orphaned = _scalar(
        demo_march,
        """
        select count(*) from staging.stg_events_rejects as rejects
        inner join staging.base_users_typed as raw_users
            on json_extract_string(rejects.raw_record, '$.user_id') = raw_users.user_id
        where rejects.reject_reason = 'orphan_foreign_key'""",
    )
    assert wrongly_orphaned == 0


# --- generated files with the messy cases added ---------------------------------------------------


def _append(path: pathlib.Path, rows: pd.DataFrame) -> None:
    table = pq.read_table(path).to_pandas()
    pq.write_table(pa.Table.from_pandas(pd.concat([table, rows], ignore_index=True), preserve_index=False), path)


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("messy")
    clean, raw = work / "clean", work / "raw"
    gen.generate(1500, clean, "parquet", seed=9, dirty=0.0)
    gen.generate(1500, raw, "parquet", seed=9, dirty=0.0)
    events = pq.read_table(raw / "raw_events.parquet").to_pandas()
    template = events.iloc[0]

    def event(event_id: str, **values) -> dict:
        return {**template.to_dict(), "event_id": event_id, **values}

    # case 2: one stray event two years later, and one a year before the rest (a test event left in a log);
    # case 4: numeric placeholders on many devices
    logged_in = events.dropna(subset=["user_id"]).drop_duplicates("user_id").head(300)
    added = [event("stray-1", event_time="2026-06-01T10:00:00Z", user_id=None, anonymous_id="stray-device")]
    added += [event("stray-0", event_time="2022-01-03T10:00:00Z", user_id=None, anonymous_id="stray-device")]
    added += [
        event(
            f"zero-{i}",
            anonymous_id=f"float-device-{i}",
            user_id=placeholder,
            event_time=template["event_time"],
            event_type="page_view",
        )
        for i, placeholder in enumerate(["0.0", "-1.0", "0", "-1"] * 5)
    ]
    # case 3: one device shared by 300 logged-in users, each event carrying its own user_id
    added += [
        event(
            f"shared-{i}",
            anonymous_id=SHARED_DEVICE,
            user_id=row.user_id,
            event_time=row.event_time,
            event_type="page_view",
        )
        for i, row in enumerate(logged_in.itertuples())
    ]
    _append(raw / "raw_events.parquet", pd.DataFrame(added))

    # case 2: an order dated 0001-01-01; case 9: orders in another currency without a rate
    orders = pq.read_table(raw / "raw_orders.parquet").to_pandas()
    first = orders.iloc[0].to_dict()
    more = [{**first, "order_id": "ancient-1", "ordered_at": "0001-01-01T00:00:00Z"}]
    more += [{**first, "order_id": f"usd-{i}", "currency": "USD"} for i in range(5)]
    _append(raw / "raw_orders.parquet", pd.DataFrame(more))

    # case 8: lines numbered by line_no; two lines equal but for line_no
    items = pq.read_table(raw / "raw_order_items.parquet").to_pandas()
    items["line_no"] = items.groupby("order_id").cumcount() + 1
    twin = items.iloc[[0]].copy()
    twin["line_no"] = 99
    items = pd.concat([items, twin], ignore_index=True)
    pq.write_table(pa.Table.from_pandas(items, preserve_index=False), raw / "raw_order_items.parquet")

    db_clean, db = work / "clean.duckdb", work / "messy.duckdb"
    for folder, path in ((clean, db_clean), (raw, db)):
        result = run_dbt(
            ["build"],
            path,
            {"raw_source": "files", "raw_path": str(folder), "reporting_currency": "CNY"},
            work / path.stem,
        )
        assert result.returncode == 0, result.stdout[-3000:]
    return {
        "db": db,
        "clean": db_clean,
        "logged_in": logged_in,
        "twin_order": twin.iloc[0]["order_id"],
        "twin_lines": int((items["order_id"] == twin.iloc[0]["order_id"]).sum()),
    }


def test_case2_one_stray_record_moves_nothing(messy) -> None:
    db, clean = messy["db"], messy["clean"]
    assert _scalar(db, "select as_of_date from intermediate.int_as_of_date") == _scalar(
        clean, "select as_of_date from intermediate.int_as_of_date"
    )
    for span in ("select count(*) from marts.metrics_daily", "select min(date_day) from marts.metrics_daily"):
        assert _scalar(db, span) == _scalar(clean, span), span
    assert _scalar(db, "select count(*) from marts.user_rfm") == _scalar(clean, "select count(*) from marts.user_rfm")
    outliers_sql = (
        "select relation, rejected_rows from marts.data_quality_rejects where reject_reason = 'outlier_timestamp'"
    )
    outliers, clean_outliers = dict(_query(db, outliers_sql)), dict(_query(clean, outliers_sql))
    # exactly the strays added: two events, one order (the clean data's own sparse first orders are judged alike)
    added = {relation: outliers.get(relation, 0) - clean_outliers.get(relation, 0) for relation in outliers}
    assert added == {"raw_events": 2, "raw_orders": 1}


def test_case3_a_shared_device_moves_no_ones_events(messy) -> None:
    db = messy["db"]
    shared = _query(db, "select anonymous_id, distinct_users from marts.data_quality_shared_devices")
    assert (SHARED_DEVICE, 300) in shared
    moved = _scalar(db, "select count(*) from marts.fct_events where user_id is not null and person_id != user_id")
    assert moved == 0
    users_on_device = _scalar(
        db, f"select count(distinct person_id) from marts.fct_events where anonymous_id = '{SHARED_DEVICE}'"
    )
    assert users_on_device == 300


def test_case4_numeric_placeholders_never_stitch(messy) -> None:
    db = messy["db"]
    assert _scalar(db, "select count(*) from marts.fct_events where person_id in ('0', '-1', '0.0', '-1.0')") == 0
    anonymous = _scalar(db, "select count(*) from marts.fct_events where event_id like 'zero-%' and user_id is null")
    assert anonymous == 20


def test_case8_lines_differing_only_in_line_no_are_both_kept(messy) -> None:
    db = messy["db"]
    lines = _scalar(db, f"select count(*) from staging.stg_order_items where order_id = '{messy['twin_order']}'")
    assert lines == messy["twin_lines"]
    assert (
        _scalar(db, "select duplicates_removed from marts.data_quality_staging where relation = 'raw_order_items'") == 0
    )


def test_case9_money_in_one_currency(messy) -> None:
    db, clean = messy["db"], messy["clean"]
    unknown = _scalar(
        db, "select rejected_rows from marts.data_quality_rejects where reject_reason = 'unknown_currency'"
    )
    assert unknown == 5
    assert _scalar(db, "select sum(revenue) from marts.metrics_daily") == _scalar(
        clean, "select sum(revenue) from marts.metrics_daily"
    )
    assert _query(db, "select distinct currency from marts.fct_orders") == [("CNY",)]


# --- time zones, and vars that no unit test may depend on -----------------------------------------

HOSTILE_VARS = {
    "source_timezone": "Asia/Shanghai",
    "reporting_timezone": "Asia/Shanghai",
    "session_timeout_minutes": 45,
    "lifecycle_new_days": 14,
    "lifecycle_active_days": 20,
    "lifecycle_dormant_days": 60,
    "rfm_window_days": 180,
    "rfm_migration_days": 30,
    "churn_inactivity_multiplier": 3,
    "churn_session_window_days": 14,
    "churn_session_drop_ratio": 0.3,
    "churn_order_gap_multiplier": 3,
    "churn_low_rating": 1,
    "churn_rating_window_days": 30,
    "max_users_per_device": 2,
    "min_valid_date": "2010-01-01",
    "as_of_max_gap_days": 30,
    "outlier_max_share": 0.001,
    "pareto_top_share": 0.1,
    "search_terms_top_n": 5,
    "placeholder_ids": ["", "null", "none", "n/a", "0", "-1"],
    "reporting_currency": "CNY",
}
OTHER_HOSTILE_VARS = {
    "source_timezone": "America/Los_Angeles",
    "reporting_timezone": "America/Los_Angeles",
    "session_timeout_minutes": 5,
    "lifecycle_new_days": 60,
    "lifecycle_active_days": 60,
    "lifecycle_dormant_days": 120,
    "rfm_window_days": 30,
    "rfm_migration_days": 7,
    "churn_inactivity_multiplier": 1,
    "churn_session_window_days": 60,
    "churn_session_drop_ratio": 0.9,
    "churn_order_gap_multiplier": 1,
    "churn_low_rating": 4,
    "churn_rating_window_days": 365,
    "max_users_per_device": 1,
    "min_valid_date": "2023-06-01",
    "as_of_max_gap_days": 1,
    "outlier_max_share": 0.5,
    "pareto_top_share": 0.5,
    "search_terms_top_n": 1,
    "known_event_types": ["page_view"],
    "valid_order_statuses": ["completed"],
    "order_statuses": ["completed", "paid"],
    "placeholder_ids": ["x"],
    "reporting_currency": "USD",
    "min_birth_date": "1990-01-01",
    "active_users_week_days": 2,
    "active_users_month_days": 3,
    "retention_start_event": "page_view",
    "retention_return_event": "page_view",
    "path_steps": 1,
    "paths_top_n": 1,
}


def test_case5_user_settings_never_fail_a_unit_test_and_times_are_right(tmp_path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    pd.DataFrame(
        {
            "user_id": ["1", "2"],
            "registered_at": ["2024-06-01 10:00:00 Asia/Shanghai", "2024-05-31 20:00:00"],
            "birth_date": ["1994-03-12", "1800-01-01"],
        }
    ).to_csv(folder / "raw_users.csv", index=False)
    pd.DataFrame(
        {
            "event_id": ["e1", "e2"],
            "event_time": ["2024-06-01T23:30:00+00:00", "2024-06-02 07:00:00"],
            "anonymous_id": ["d1", "d2"],
            "user_id": ["1", "2"],
            "event_type": ["page_view", "page_view"],
        }
    ).to_csv(folder / "raw_events.csv", index=False)
    db = tmp_path / "w.duckdb"
    result = run_dbt(["build"], db, {**HOSTILE_VARS, "raw_source": "files", "raw_path": str(folder)})
    assert result.returncode == 0, result.stdout[-3000:]
    users = dict(_query(db, "select user_id, strftime(registered_at, '%Y-%m-%d %H:%M') from staging.stg_users"))
    assert users == {"1": "2024-06-01 02:00", "2": "2024-05-31 12:00"}
    births = dict(_query(db, "select user_id, cast(birth_date as varchar) from staging.stg_users"))
    assert births == {"1": "1994-03-12", "2": None}
    # 2024-06-01 23:30 UTC is 2024-06-02 07:30 in Beijing: both events fall on 2 June there
    days = _query(db, "select cast(event_date as varchar), count(*) from marts.fct_events group by 1")
    assert days == [("2024-06-02", 2)]
    assert str(_scalar(db, "select as_of_date from intermediate.int_as_of_date")) == "2024-06-02"
    hours = _query(db, "select session_hour from marts.fct_sessions order by 1")
    assert hours == [(7,), (7,)]
    # the unit tests pin every var they read: other settings pass them too
    result = run_dbt(
        ["test", "--select", "test_type:unit"],
        db,
        {**OTHER_HOSTILE_VARS, "raw_source": "files", "raw_path": str(folder)},
    )
    assert result.returncode == 0, result.stdout[-3000:]
