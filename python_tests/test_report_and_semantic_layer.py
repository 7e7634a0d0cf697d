"""What people look at (docs/report.md): the semantic layer gives the marts' numbers, and the report renders every
chart in a real browser (Debian's chromium, driven by selenium) with no console error and no network."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

import duckdb
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from user_warehouse import report, semantic

from conftest import ROOT, chromium, publish

SCREENSHOT = ROOT / "reports" / "screenshots" / "report.png"
README_PICTURE = ROOT / "docs" / "images" / "report.png"


@pytest.fixture(scope="module")
def warehouse(demo, tmp_path_factory) -> pathlib.Path:
    """A copy of the shared demo build: MetricFlow opens its file for writing, which would lock out the other
    tests reading it."""
    db = tmp_path_factory.mktemp("semantic") / "w.duckdb"
    shutil.copy2(demo.db, db)
    return db


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory) -> pathlib.Path:
    return publish(demo, tmp_path_factory.mktemp("published"))


def test_every_metric_through_metricflow_equals_its_mart(warehouse) -> None:
    results = semantic.check_all(warehouse)
    assert {check.mart for check, _, _ in results} == {
        "metrics_daily",
        "metrics_weekly",
        "metrics_monthly",
        "stickiness_daily",
        "repurchase_monthly",
    }
    assert all(rows > 0 for _, rows, _ in results)
    assert [problem for _, _, problems in results for problem in problems] == []


def test_a_mart_that_disagrees_with_the_semantic_layer_is_named(warehouse, tmp_path) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copy2(warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        day = con.execute(
            "update marts.metrics_daily set revenue = revenue + 1 "
            "where date_day = (select max(date_day) from marts.metrics_daily) returning date_day"
        ).fetchone()[0]
    ((_, _, problems),) = semantic.check_all(broken, [semantic.CHECKS[0]])
    assert [p for p in problems if p.startswith(f"metrics_daily.revenue on {day}:")] and all(
        f"on {day}:" in p for p in problems
    ), problems  # revenue, and the ratios built on it, that day only


def test_differences_name_missing_periods_and_unequal_values() -> None:
    check = semantic.Check("metrics_daily", "date_day", "day", {"pv": "pv", "aov": "aov"})
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]).date
    mart = pd.DataFrame({"period": days[:2], "pv_mart": [3, 4], "aov_mart": [None, 1.0000001]})
    layer = pd.DataFrame({"period": days[1:], "pv_semantic": [5, 1], "aov_semantic": [1.0, None]})
    assert semantic.differences(check, layer, mart) == [
        "metrics_daily: period 2024-01-01 only in the mart",
        "metrics_daily: period 2024-01-03 only in the semantic layer",
        "metrics_daily.pv on 2024-01-02: mart 4.0, semantic layer metric pv 5.0",
    ]


def test_the_report_is_self_contained_and_small(published, tmp_path) -> None:
    out = tmp_path / "report.html"
    assert report.main(["--db", str(published), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count(get_plotlyjs()) == 1  # plotly.js inlined once; beside it the page links to nothing
    rest = page.replace(get_plotlyjs(), "")
    assert "<script src" not in rest and "<link" not in rest and "http" not in rest
    assert all(f'id="{chart.chart_id}"' in page for chart in report.CHARTS)
    assert "截至 As of" in page and "拒绝原因 Rows rejected by reason" in page
    assert out.stat().st_size < 6_000_000  # plotly.js (4.8 MB) and aggregated rows only


# Per chart: its labels (svg text with a size) outside its div, and pairs of axis labels, axis titles and legend
# entries whose boxes overlap (by more than a pixel each way).
LABEL_BOXES = """return arguments[0].map(id => {
    const gd = document.getElementById(id), box = gd.getBoundingClientRect();
    const shown = t => t.textContent.trim() && t.getBoundingClientRect().width > 0;
    const all = [...gd.querySelectorAll('text')].filter(shown);
    const outside = all.filter(t => { const r = t.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map(t => t.textContent);
    const kinds = '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .g-y2title text, .legendtext, '
                + '.annotation-text';
    const labels = [...gd.querySelectorAll(kinds)].filter(shown).map(t => [t.textContent, t.getBoundingClientRect()]);
    const overlapping = [];
    labels.forEach(([a, ra], i) => labels.slice(i + 1).forEach(([b, rb]) => {
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1) overlapping.push([a, b]);
    }));
    return {id: id, labels: all.length, outside: outside, overlapping: overlapping};
});"""
FIRST_SCREEN = """const tiles = [...document.querySelectorAll('#kpis .kpi')];
const charts = [...document.querySelectorAll('.grid section')];
return {tiles: tiles.length, window: window.innerHeight,
        lowest_tile: Math.max(...tiles.map(t => t.getBoundingClientRect().bottom + window.scrollY)),
        last_chart_top: Math.max(...charts.map(c => c.getBoundingClientRect().top + window.scrollY)),
        quality_top: document.getElementById('data-quality').getBoundingClientRect().top + window.scrollY};"""


def test_the_first_screen_is_the_as_of_days_numbers_from_the_marts(published, tmp_path) -> None:
    out = tmp_path / "report.html"
    report.main(["--db", str(published), "--out", str(out)])
    page = out.read_text(encoding="utf-8")
    tiles = dict(re.findall(r'class="kpi" data-metric="(\w+)" data-value="([^"]*)"', page))
    assert list(tiles) == [column for column, _, _ in report.KPIS]
    with duckdb.connect(str(published), read_only=True) as con:
        days = con.execute("select * from marts.metrics_daily order by date_day desc limit 8").df()
    today, day_before, week_before = days.iloc[0], days.iloc[1], days.iloc[7]
    assert (day_before.date_day - week_before.date_day).days == 6  # every day has its row
    for column, value in tiles.items():
        expected = today[column]
        assert (value == "") if pd.isna(expected) else float(value) == pytest.approx(float(expected), abs=1e-9)
    # visitors against the day before and the same weekday a week before, as the tile prints them
    visitors = page.split('data-metric="uv"')[1].split('class="kpi" ')[0]
    for before in (day_before.uv, week_before.uv):
        assert f"{today.uv / before - 1:+.1%}".replace("-", "−") in visitors
    assert visitors.count("<path d=") == 1  # its sparkline


def test_every_chart_renders_in_headless_chromium_without_errors(published, tmp_path) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    # Chromium draws text with the fonts fontconfig knows: without a CJK font every Chinese label is a box
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in families, "no CJK font: make system-packages installs Debian's fonts-noto-cjk"
    out = tmp_path / "report.html"
    report.main(["--db", str(published), "--out", str(out)])
    assert 'font-family: "Noto Sans CJK SC"' in out.read_text(encoding="utf-8")
    driver = chromium(tmp_path / "profile")
    try:
        driver.get(out.as_uri())
        ids = [chart.chart_id for chart in report.CHARTS]
        rendered = """return arguments[0].map(id => {
            const gd = document.getElementById(id);
            const traces = (gd && gd.data) || [];
            const points = traces.map(t => ['x', 'y', 'z'].some(k => t[k] && t[k].length > 0)
                                        || (t.cells && t.cells.values.length > 0 && t.cells.values[0].length > 0));
            return {id: id, svg: gd ? gd.querySelectorAll('.main-svg').length : 0,
                    traces: traces.length, empty: points.filter(p => !p).length,
                    fits: !!gd && !!gd._fullLayout && gd._fullLayout.width <= gd.offsetWidth + 1};
        });"""
        try:  # plotly draws, then fits each chart to its card after the page loaded
            WebDriverWait(driver, 30).until(
                lambda d: all(c["svg"] > 0 and c["fits"] for c in d.execute_script(rendered, ids))
            )
        except TimeoutException:
            pass  # the assertion below names the charts
        charts = driver.execute_script(rendered, ids)
        assert [c for c in charts if c["svg"] == 0 or c["traces"] == 0 or c["empty"] or not c["fits"]] == [], charts
        # no label cut off by its chart's edge, none overlapping another: tick labels, axis titles, legend entries
        labels = driver.execute_script(LABEL_BOXES, ids)
        assert [c for c in labels if c["outside"] or c["overlapping"]] == [], json.dumps(labels, ensure_ascii=False)
        assert sum(c["labels"] for c in labels) > 200  # the check saw the labels
        # the first screen is the as-of day: every headline tile fits in the window, data quality comes last
        screen = driver.execute_script(FIRST_SCREEN)
        assert screen["tiles"] == len(report.KPIS) and screen["lowest_tile"] <= screen["window"], screen
        assert screen["quality_top"] > screen["last_chart_top"], screen
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == [], json.dumps(errors, indent=1)
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        # the README's picture is the first screen of the current report, made here on every run
        assert driver.save_screenshot(str(README_PICTURE))
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1400, min(height + 100, 8000))
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(SCREENSHOT))
    finally:
        driver.quit()
