"""Apache Superset, the reference BI client (docs/bi.md#apache-superset): every published mart is a dataset with its
descriptions, the semantic layer's metrics give the marts' numbers at any grain, and the dashboard 运营日报 renders
every chart with data in headless Chromium, its headline tiles equal to the marts.

Superset is installed in an environment of its own (.venv-superset, from requirements/superset.txt), made once and
kept between runs like any package.
"""

from __future__ import annotations

import math
import os
import pathlib
import socket
import subprocess
import time
import urllib.request

import duckdb
import pandas as pd
import pytest
import yaml

from user_warehouse import project, superset

from conftest import BIN, ROOT, chromium, publish, uw

PICTURE = ROOT / "docs" / "images" / "superset.png"
ADMIN_PASSWORD = "test-only-password"


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory) -> pathlib.Path:
    return publish(demo, tmp_path_factory.mktemp("published"))


def manifests(demo) -> pathlib.Path:
    """The target folder of the demo build (or make build's, whose run_results.json make pytest copied)."""
    here = demo.run_results.parent
    return here if (here / "semantic_manifest.json").exists() else ROOT / "target"


@pytest.fixture(scope="module")
def bundle(demo, published, tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("superset") / "bundle"
    superset.write_bundle(out, manifests(demo), superset.duckdb_uri(published))
    return out


def datasets(bundle: pathlib.Path) -> dict[str, dict]:
    return {
        path.stem: yaml.safe_load(path.read_text())
        for path in (bundle / "datasets" / superset.DATABASE_NAME).glob("*.yaml")
    }


def test_every_published_mart_is_a_dataset_with_its_descriptions(bundle, published) -> None:
    con = duckdb.connect(str(published), read_only=True)
    columns: dict[str, list[str]] = {}
    for table, name in con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts'"
        " order by table_name, column_index"
    ).fetchall():
        columns.setdefault(table, []).append(name)
    found = datasets(bundle)
    assert set(found) == set(columns) | {superset.KEY_METRICS}
    for mart, names in columns.items():
        assert [c["column_name"] for c in found[mart]["columns"]] == names, mart
        assert found[mart]["description"], mart
        assert [c["column_name"] for c in found[mart]["columns"] if not c["description"]] == [], mart

    # a mart with a semantic model carries that model's metrics, ratios included
    def metrics_of(mart: str) -> set[str]:
        return {m["metric_name"] for m in found[mart]["metrics"]}

    assert {"sessions", "bounced_sessions", "bounce_rate"} <= metrics_of("fct_sessions")
    assert {"orders", "revenue", "buyers", "aov", "arppu"} <= metrics_of("fct_orders")


def metric_values(fetch, key_metrics: dict, period: str) -> dict[str, dict]:
    """Every metric of the key_metrics dataset by period start, as Superset's query would give it; fetch(sql) runs a
    query on the engine (DuckDB or PostgreSQL) and returns its rows."""
    names = [m["metric_name"] for m in key_metrics["metrics"]]
    select = ", ".join(f'{m["expression"]} as "{m["metric_name"]}"' for m in key_metrics["metrics"])
    rows = fetch(
        f"select cast(date_trunc('{period}', metric_time) as date) as period, {select} "
        f"from ({key_metrics['sql']}) as key_metrics group by 1"
    )
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}


def duckdb_fetch(db: pathlib.Path):
    con = duckdb.connect(str(db), read_only=True)
    return lambda sql: con.execute(sql).fetchall()


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


# the metrics metrics_daily and metrics_monthly hold under the same name
ON_METRICS_MARTS = "pv uv sessions bounce_rate orders revenue buyers aov arppu conversion_rate".split()


def test_the_semantic_layers_metrics_equal_the_marts_by_day_and_by_month(bundle, published) -> None:
    key_metrics = datasets(bundle)[superset.KEY_METRICS]
    defined = {m["metric_name"] for m in key_metrics["metrics"]}
    assert {"repurchase_rate", "stickiness", *ON_METRICS_MARTS} <= defined
    con = duckdb.connect(str(published), read_only=True)
    fetch = duckdb_fetch(published)
    unequal = []
    for period, mart, key in (("day", "metrics_daily", "date_day"), ("month", "metrics_monthly", "month_start")):
        got = metric_values(fetch, key_metrics, period)
        frame = con.execute(f"select * from marts.{mart}").fetchdf()
        for row in frame.to_dict("records"):
            day = row[key].date() if hasattr(row[key], "date") else row[key]
            if day not in got:  # a day without any event, session or order: the mart has zeros there
                assert row["pv"] == 0 and row["orders"] == 0, row
                continue
            for name in ON_METRICS_MARTS:
                value = None if pd.isna(row[name]) else row[name]
                if not same(got[day][name], value):
                    unequal.append((period, day, name, got[day][name], value))
    # trailing windows by day, once the window is full; before, the dataset leaves them out
    got = metric_values(fetch, key_metrics, "day")
    sticky = con.execute("select date_day, dau, wau, mau, stickiness from marts.stickiness_daily order by 1").fetchall()
    first = sticky[0][0]
    for day, dau, wau, mau, stickiness in sticky:
        full = (day - first).days >= project.dbt_vars()["active_users_month_days"] - 1
        if not full:
            assert got.get(day, {}).get("mau") is None, day
            continue
        for name, value in (("dau", dau), ("wau", wau), ("mau", mau), ("stickiness", stickiness)):
            if not same(got[day][name], value):
                unequal.append(("day", day, name, got[day][name], value))
    months = metric_values(fetch, key_metrics, "month")
    for month, rate in con.execute("select month_start, repurchase_rate from marts.repurchase_monthly").fetchall():
        if not same(months[month]["repurchase_rate"], rate):
            unequal.append(("month", month, "repurchase_rate", months[month]["repurchase_rate"], rate))
    assert unequal == []


def measures_of(**aggs) -> dict:
    return {name: {"name": name, "agg": agg, "expr": None, "semantic_model": "m"} for name, agg in aggs.items()}


def simple(measure: str, fill=None) -> dict:
    return {"type": "simple", "type_params": {"measure": {"name": measure, "fill_nulls_with": fill}}}


def test_ratios_stay_ratios_of_their_aggregates() -> None:
    measures = measures_of(amount="sum", buyer="count_distinct", orders="sum")
    metrics = {
        "revenue": simple("amount", 0),
        "orders": simple("orders", 0),
        "buyers": simple("buyer"),
        "aov": {"type": "ratio", "type_params": {"numerator": {"name": "revenue"}, "denominator": {"name": "orders"}}},
        "per_buyer": {
            "type": "derived",
            "type_params": {"expr": "revenue / buyers", "metrics": [{"name": "revenue"}, {"name": "buyers"}]},
        },
        "mau": {"type": "cumulative", "type_params": {"measure": {"name": "buyer"}}},
    }

    def sql(name, cumulative=None):
        return superset.metric_sql(name, metrics, measures, lambda m: m["name"], cumulative)

    assert sql("aov") == "1.0 * COALESCE(SUM(amount), 0) / NULLIF(COALESCE(SUM(orders), 0), 0)"
    assert sql("per_buyer") == "1.0 * COALESCE(SUM(amount), 0) / NULLIF(COUNT(DISTINCT buyer), 0)"
    assert sql("mau") is None  # no per-row aggregate for a trailing window
    assert sql("mau", lambda name: f"MAX({name})") == "MAX(mau)"
    # a dataset without the denominator's measure cannot hold the ratio
    assert superset.metric_sql("aov", metrics, measures, lambda m: m["name"] if m["name"] == "amount" else None) is None
    with pytest.raises(ValueError, match="median"):
        superset.measure_sql({"name": "m", "agg": "median"}, "x")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def d3(value, fmt: str) -> str:
    """A number as Superset's d3 format of the bundle shows it."""
    return {",d": f"{int(value):,}", ",.2f": f"{float(value):,.2f}", ".2%": f"{float(value) * 100:.2f}%"}[fmt]


@pytest.fixture(scope="module")
def server(published, tmp_path_factory):
    """Superset set up by `uw superset setup` on the published demo, served by `uw superset serve`."""
    superset.install()
    home = tmp_path_factory.mktemp("superset_home")
    env = {
        **os.environ,
        "SUPERSET_HOME": str(home),
        "PUBLISH_DIR": str(published.parent),
        "SUPERSET_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    setup = subprocess.run(
        [str(BIN / "uw"), "superset", "setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    port = free_port()
    log = (home / "serve.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "uw"), "superset", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail(f"Superset did not start:\n{(home / 'serve.log').read_text()[-3000:]}")
        yield base, home
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


# Per chart of the dashboard: its title, what it drew (canvas or svg, icons aside), table rows, an error, "No results",
# and a tile's number and day.
CHARTS = """return [...document.querySelectorAll('[data-test-chart-id]')].map(e => ({
    id: e.getAttribute('data-test-chart-id'),
    title: (e.querySelector('[data-test=editable-title]') || {}).innerText,
    loading: e.querySelectorAll('.loading, [data-test=loading-indicator]').length,
    drawn: [...e.querySelectorAll('.dashboard-chart canvas, .dashboard-chart svg')].filter(x => !x.closest('.anticon'))
        .length,
    rows: e.querySelectorAll('tbody tr').length,
    error: [...e.querySelectorAll('.ant-alert-error, .alert-danger, [data-test=error-message]')].map(x => x.innerText),
    empty: e.innerText.includes('No results'),
    number: (e.querySelector('.header-line') || {}).innerText,
    day: (e.querySelector('.kicker') || {}).innerText,
}));"""


def test_the_dashboard_renders_every_chart_with_the_marts_numbers(server, bundle, published, tmp_path) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, home = server
    assert f"Running on http://127.0.0.1:{base.rsplit(':', 1)[1]}" in (home / "serve.log").read_text()
    charts = [yaml.safe_load(path.read_text()) for path in (bundle / "charts").glob("*.yaml")]
    driver = chromium(tmp_path / "profile", window="1600,2300")
    try:
        driver.get(f"{base}/login/")
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "username"))
        driver.find_element(By.ID, "username").send_keys("admin")
        driver.find_element(By.ID, "password").send_keys(ADMIN_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit], form button").click()
        WebDriverWait(driver, 60).until(lambda d: "/login" not in d.current_url)
        driver.get(f"{base}/superset/dashboard/{superset.DASHBOARD_SLUG}/")

        def finished(d) -> bool:
            seen = d.execute_script(CHARTS)
            return len(seen) == len(charts) and all(
                not c["loading"] and (c["drawn"] or c["rows"] or c["error"] or c["empty"]) for c in seen
            )

        try:
            WebDriverWait(driver, 180).until(finished)
        except TimeoutException:
            pass  # the assertions below name the charts
        time.sleep(2)  # the last animations
        seen = driver.execute_script(CHARTS)
        assert sorted(c["title"] for c in seen) == sorted(c["slice_name"] for c in charts)
        assert [c for c in seen if c["loading"] or c["error"] or c["empty"] or not (c["drawn"] or c["rows"])] == []
        # the headline tiles: the as-of day's value of the marts, or Superset's fallback to the last day with one
        con = duckdb.connect(str(published), read_only=True)
        daily = con.execute("select * from marts.metrics_daily order by date_day desc").fetchdf()
        formats = {m["metric_name"]: m["d3format"] for m in datasets(bundle)[superset.KEY_METRICS]["metrics"]}
        tiles = {c["title"]: c for c in seen}
        for name, title in superset.TILES.items():
            known = daily[daily[name].notna()].iloc[0]
            expected = (str(known["date_day"].date()), d3(known[name], formats[name]))
            assert (tiles[title]["day"], tiles[title]["number"]) == expected, name
        assert tiles[superset.TILES["uv"]]["day"] == str(daily["date_day"].iloc[0].date())  # the as-of day
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and e["message"].startswith(base)]
        assert errors == []
        assert driver.save_screenshot(str(PICTURE))
    finally:
        driver.quit()


def test_without_supersets_environment_the_commands_say_what_to_run(tmp_path) -> None:
    env = {"UW_SUPERSET_VENV": str(tmp_path / "none"), "SUPERSET_HOME": str(tmp_path / "home")}
    for command in (["serve"], ["setup"]):
        result = uw(["superset", *command], env=env, check=False)
        assert result.returncode != 0 and "make superset" in result.stderr, result.stderr
