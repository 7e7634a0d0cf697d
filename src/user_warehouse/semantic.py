"""Check the semantic layer against the marts: each metric queried by name through MetricFlow (`mf query`)
must equal the mart column that computes the same number, period by period, at day, week and month.

Prints one line per check and exits non-zero on any difference (numbers compared to 6 decimal places, as
the engines' marts are). MetricFlow reads the warehouse the dbt profile names (DUCKDB_PATH), through
target/semantic_manifest.json, which this command writes first (`dbt parse`).

    uw semantic [--db warehouse/user_warehouse.duckdb] [--vars '{...}']
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from user_warehouse import project

ROOT = project.root()
OPERATING = {
    m: m
    for m in ("pv", "uv", "sessions", "bounce_rate", "buyers", "orders", "revenue", "aov", "arppu", "conversion_rate")
}


@dataclass(frozen=True)
class Check:
    mart: str
    period_column: str
    grain: str
    columns: dict[str, str]  # metric name -> mart column


CHECKS = [
    Check("metrics_daily", "date_day", "day", OPERATING),
    Check("metrics_weekly", "week_start", "week", OPERATING),
    Check("metrics_monthly", "month_start", "month", OPERATING),
    Check("stickiness_daily", "date_day", "day", {m: m for m in ("dau", "wau", "mau", "stickiness")}),
    Check(
        "repurchase_monthly",
        "month_start",
        "month",
        {"repurchase_buyers": "buyers", "repeat_buyers": "repeat_buyers", "repurchase_rate": "repurchase_rate"},
    ),
]


def dbt_env(db: pathlib.Path) -> dict[str, str]:
    return {**os.environ, "DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(ROOT)}


def parse(db: pathlib.Path, dbt_vars: str | None = None) -> None:
    """Write target/semantic_manifest.json for this warehouse: mf reads it from there only, its relation names
    carry the DuckDB file's name, and the wau and mau windows are the vars it was parsed with."""
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "parse", "--quiet", *(["--vars", dbt_vars] if dbt_vars else [])],
        cwd=ROOT,
        env=dbt_env(db),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def mf_query(metrics: list[str], grain: str, db: pathlib.Path, work: pathlib.Path) -> pd.DataFrame:
    """The metrics by metric_time at one grain, as MetricFlow computes them."""
    out = work / f"mf_{grain}_{metrics[0]}.csv"
    env = dbt_env(db)
    mf = pathlib.Path(sys.executable).with_name("mf")
    result = subprocess.run(
        [
            str(mf),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            f"metric_time__{grain}",
            "--csv",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(
            f"mf query {','.join(metrics)} by {grain} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    frame = pd.read_csv(out)
    frame["period"] = pd.to_datetime(frame.pop(f"metric_time__{grain}")).dt.date
    return frame


def differences(check: Check, semantic: pd.DataFrame, mart: pd.DataFrame) -> list[str]:
    """Each period and metric where the two disagree, and periods only one side has."""
    merged = mart.merge(semantic, on="period", how="outer", suffixes=("_mart", "_semantic"), indicator="side")
    problems = [
        f"{check.mart}: period {row.period} only in the {'mart' if row.side == 'left_only' else 'semantic layer'}"
        for row in merged[merged["side"] != "both"].itertuples()
    ]
    both = merged[merged["side"] == "both"]
    for metric, column in check.columns.items():
        left = pd.to_numeric(both[f"{column}_mart"], errors="coerce").astype(float).round(6)
        right = pd.to_numeric(both[f"{metric}_semantic"], errors="coerce").astype(float).round(6)
        differ = ~((left == right) | (left.isna() & right.isna()))
        for period, a, b in zip(both["period"][differ], left[differ], right[differ], strict=True):
            problems.append(f"{check.mart}.{column} on {period}: mart {a}, semantic layer metric {metric} {b}")
    return problems


def check_all(
    db: pathlib.Path, checks: list[Check] = CHECKS, dbt_vars: str | None = None
) -> list[tuple[Check, int, list[str]]]:
    """Each check with the mart's number of periods and the differences found."""
    results = []
    parse(db, dbt_vars)
    with tempfile.TemporaryDirectory() as tmp:
        for check in checks:
            semantic = mf_query(list(check.columns), check.grain, db, pathlib.Path(tmp))
            semantic = semantic.rename(columns={m: f"{m}_semantic" for m in check.columns})
            with duckdb.connect(str(db), read_only=True) as con:
                mart = con.execute(
                    f"select {check.period_column} as period, {', '.join(set(check.columns.values()))} "
                    f"from marts.{check.mart}"
                ).df()
            mart["period"] = pd.to_datetime(mart["period"]).dt.date
            mart = mart.rename(columns={c: f"{c}_mart" for c in check.columns.values()})
            results.append((check, len(mart), differences(check, semantic, mart)))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw semantic", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=pathlib.Path, default=project.duckdb_path())
    parser.add_argument("--vars", help="the --vars the warehouse was built with (YAML), when it was")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no warehouse at {args.db}: run `make build` first or pass --db")
    start = time.perf_counter()
    failed = 0
    for check, rows, problems in check_all(args.db.resolve(), dbt_vars=args.vars):
        print(
            f"{check.mart:<20} by {check.grain:<5} {rows:>5} periods  {len(check.columns):>2} metrics  "
            f"{'equal' if not problems else f'{len(problems)} differences'}"
        )
        for problem in problems[:20]:
            print(f"    {problem}")
        failed += bool(problems)
    print(
        f"semantic layer: {len(CHECKS) - failed} of {len(CHECKS)} checks equal the marts "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
