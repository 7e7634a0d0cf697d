"""Running it every day (docs/operations.md): the freshness check a scheduler alerts on."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from user_warehouse import freshness, project

from conftest import publish, uw


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory):
    return publish(demo, tmp_path_factory.mktemp("published"))


def test_the_demo_declares_an_age_for_every_raw_relation() -> None:
    allowed = freshness.allowed_ages(project.dbt_vars())
    assert set(allowed) == {"raw_users", "raw_events", "raw_orders", "raw_order_items", "raw_feedback"}


def test_freshness_passes_the_morning_after_and_names_what_is_stale_later(published) -> None:
    """The demo's newest rows: events 2024-06-30 23:08, orders and their lines 21:10, users 06-29 23:16."""
    morning = uw(["freshness", "--db", str(published), "--at", "2024-07-01T06:00:00"], check=False)
    assert morning.returncode == 0, morning.stdout + morning.stderr
    assert "all 5 raw relations fresh at 2024-07-01 06:00:00 UTC" in morning.stdout

    # a day and a half on: events (1 day allowed) are stale, orders (2 days) and users (7) are not
    later = uw(["freshness", "--db", str(published), "--at", "2024-07-02T11:00:00+00:00"], check=False)
    assert later.returncode == 1, later.stdout + later.stderr
    assert later.stdout.strip().splitlines()[-1] == (
        "stale at 2024-07-02 11:00:00 UTC: raw_events (var max_data_age_days)"
    )
    rows = {line.split()[0]: line.split()[-1] for line in later.stdout.splitlines()[1:-1]}
    assert rows == {
        "raw_events": "STALE",
        "raw_feedback": "fresh",
        "raw_order_items": "fresh",
        "raw_orders": "fresh",
        "raw_users": "fresh",
    }


def test_freshness_without_a_published_warehouse_says_so(tmp_path) -> None:
    result = uw(["freshness", "--db", str(tmp_path / "none.duckdb")], check=False)
    assert result.returncode == 1
    assert f"no published warehouse at {tmp_path / 'none.duckdb'}" in result.stderr


def test_a_relation_with_nothing_staged_is_stale_and_ages_are_exact() -> None:
    at = dt.datetime(2024, 7, 2, 12, 0)
    judged = freshness.judge(
        [("raw_events", dt.datetime(2024, 7, 1, 12, 0)), ("raw_feedback", None)],
        {"raw_events": 1, "raw_feedback": 30},
        at,
    )
    # exactly the allowed age is still fresh; no staged row at all is stale
    assert judged == [
        ("raw_events", dt.datetime(2024, 7, 1, 12, 0), 1.0, 1, False),
        ("raw_feedback", None, None, 30, True),
    ]


@pytest.mark.parametrize(
    ("ages", "message"),
    [
        (None, "var max_data_age_days is None: it must map each raw relation to a number of days"),
        ({"raw_events": 0}, "var max_data_age_days: {'raw_events': 0} must be positive numbers of days"),
        ({"raw_events": "1"}, "var max_data_age_days: {'raw_events': '1'} must be positive numbers of days"),
        ({"raw_events": True}, "var max_data_age_days: {'raw_events': True} must be positive numbers of days"),
    ],
)
def test_a_wrong_max_data_age_is_named(ages, message) -> None:
    with pytest.raises(SystemExit, match="^" + message.replace("{", r"\{").replace("}", r"\}") + "$"):
        freshness.allowed_ages({"max_data_age_days": ages})


def test_every_relation_must_be_declared_and_every_declared_one_known() -> None:
    newest = [("raw_events", dt.datetime(2024, 7, 1)), ("raw_users", dt.datetime(2024, 7, 1))]
    with pytest.raises(SystemExit, match=r"declares no age for \['raw_users'\]"):
        freshness.judge(newest, {"raw_events": 1}, dt.datetime(2024, 7, 1))
    with pytest.raises(SystemExit, match=r"names \['raw_event'\], which the published marts do not hold"):
        freshness.judge(newest, {"raw_events": 1, "raw_users": 1, "raw_event": 1}, dt.datetime(2024, 7, 1))


DAGSTER_SELECTION = """
import json, sys
import dagster as dg
from user_warehouse import orchestration

manifest = json.loads(orchestration.dbt_project.manifest_path.read_text())
models = sorted(n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model")
assets = {key.path[-1] for key in orchestration.warehouse_models.keys}
job = orchestration.defs.get_job_def("daily_cycle")
(schedule,) = orchestration.defs.schedules
selection = dg.AssetSelection.assets(
    dg.AssetKey(["marts", "metrics_daily"]), orchestration.published_marts, orchestration.daily_report
)
result = dg.materialize(
    [orchestration.warehouse_models, orchestration.published_marts, orchestration.daily_report,
     orchestration.audience_exports],
    selection=selection,
    resources=orchestration.defs.resources,
)
print(json.dumps({
    "models": models,
    "missing": sorted(set(models) - assets),
    "job_assets": sorted(key.path[-1] for key in job.asset_layer.executable_asset_keys),
    "schedule": [schedule.cron_schedule, schedule.job_name],
    "success": result.success,
    "materialized": sorted("/".join(e.asset_key.path) for e in result.get_asset_materialization_events()),
}))
"""


def test_dagster_holds_every_dbt_model_and_runs_a_selection_through_publish_and_report(demo, tmp_path) -> None:
    """The Dagster definitions (docs/operations.md#dagster) on a copy of the demo build: every dbt model is an
    asset, one job holds them and the steps after, a daily schedule runs it; one mart, the publish and the report
    materialised for real."""
    db = tmp_path / "w.duckdb"
    shutil.copy2(demo.db, db)
    env = {
        "DUCKDB_PATH": str(db),
        "PUBLISH_DIR": str(tmp_path / "published"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    (tmp_path / "dagster").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", DAGSTER_SELECTION],
        cwd=tmp_path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(found["models"]) > 100 and found["missing"] == []
    steps = {"published_marts", "daily_report", "audience_exports"}
    assert set(found["models"]) | steps | {"user_tags_snapshot", "channel_rules"} <= set(found["job_assets"])
    assert found["schedule"] == ["30 2 * * *", "daily_cycle"]
    assert found["success"] and found["materialized"] == ["daily_report", "marts/metrics_daily", "published_marts"]
    assert (tmp_path / "published" / "user_warehouse.duckdb").exists()
