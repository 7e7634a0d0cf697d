"""Benchmark: generate N users of raw data, then `dbt build` it through raw_source files.

For each size: the data is split into history (every day but the last) and
the last day (uw split-days); the history is built from scratch (the
full build, every test), then the last day is added and built again as
`uw build` does every day (the incremental build: every data test, no unit
tests), then the marts are published and the report and the audience
exports written from them; the daily command is the sum of those four
steps. For each step: wall time and peak memory
(resident set size of the step's processes), raw events per second, and the
five slowest nodes (from run_results.json). Beside them, the floor: the
heaviest work of the full build written by hand in DuckDB
(user_warehouse.floor) on the same history, and the full build as a multiple
of it. Prints a table and writes it as
Markdown and JSON to reports/benchmark/ (git-ignored). Speed is measured
here, never in a timed test.

    uw benchmark --users 10000 100000 1000000 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

from user_warehouse import project
from user_warehouse.build import WITHOUT_UNIT_TESTS

ROOT = project.root()
BIN = pathlib.Path(sys.executable).parent
UW = str(BIN / "uw")
FULL = "full build (all days but the last)"
INCREMENTAL = "incremental build (the last day)"
FLOOR = "hand-written DuckDB floor (the same history)"
DAILY = "daily command (incremental build, publish, report, exports)"
DAILY_STEPS = (INCREMENTAL, "publish", "report", "exports")

# Runs a command as a child and prints the child's peak RSS (KiB), so that
# each step is accounted for on its own.
_MEASURE = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[1:]).returncode;"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
    "sys.exit(code)"
)


def measure(cmd: list[str], env: dict[str, str] | None = None, log: pathlib.Path | None = None) -> tuple[float, float]:
    """Run cmd; return (seconds, peak MiB). Raises if it fails."""
    start = time.perf_counter()
    with open(log or "/dev/null", "w") as out:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, env=env, stdout=out, stderr=subprocess.PIPE, text=True
        )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"step failed ({done.returncode}): {' '.join(cmd)}; see {log}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024


def slowest_nodes(run_results: pathlib.Path, n: int = 5) -> list[tuple[str, float]]:
    results = json.loads(run_results.read_text())["results"]
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:n]
    # unique_id is resource.package.name[.hash]
    return [(r["unique_id"].split(".")[2], r["execution_time"]) for r in ranked]


def run_size(users: int, args: argparse.Namespace) -> dict:
    work = args.work.resolve()
    raw = work / f"raw_{users}_{args.format}"
    db = work / f"warehouse_{users}.duckdb"
    target = work / f"target_{users}"
    work.mkdir(parents=True, exist_ok=True)
    steps: dict[str, tuple[float, float]] = {}
    if not (args.reuse_data and (raw / "_manifest.json").exists()):
        steps["generate"] = measure(
            [
                UW,
                "generate",
                "--users",
                str(users),
                "--format",
                args.format,
                "--dirty",
                str(args.dirty),
                "--out",
                str(raw),
                "--quiet",
            ],
            log=work / f"generate_{users}.log",
        )
    manifest = json.loads((raw / "_manifest.json").read_text())
    split = work / f"split_{users}"
    shutil.rmtree(split, ignore_errors=True)
    steps["split"] = measure(
        [UW, "split-days", "--src", str(raw), "--out", str(split)], log=work / f"split_{users}.log"
    )
    history = split / "history"
    # the same files through hand-written DuckDB (user_warehouse.floor): the floor the build is held against
    floor_db = work / f"floor_{users}.duckdb"
    steps[FLOOR] = measure(
        [sys.executable, "-m", "user_warehouse.floor", str(history), str(floor_db)], log=work / f"floor_{users}.log"
    )
    floor_db.unlink(missing_ok=True)
    db.unlink(missing_ok=True)
    # generated data holds no real personal data: a fixed salt unless one is set
    env = {
        "PII_SALT": "benchmark-salt-not-a-secret",
        **os.environ,
        "DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(ROOT),
    }
    build = [
        str(BIN / "dbt"),
        "build",
        "--vars",
        json.dumps({"raw_source": "files", "raw_path": str(history)}),
        "--target-path",
        str(target),
        "--log-path",
        str(work / "logs"),
    ]
    if args.select:
        build += ["--select", args.select]
    slowest = {}
    steps[FULL] = measure(build, env=env, log=work / f"build_{users}.log")
    slowest[FULL] = slowest_nodes(target / "run_results.json")
    # kept for a closer look (every node's time), next to the warehouse
    shutil.copy(target / "run_results.json", work / f"run_results_{users}_full.json")
    for part in (split / "new_day").iterdir():
        for file in part.iterdir():
            file.rename(history / part.name / file.name)
    # the daily command's build (uw build): unit tests check the SQL on hand-made rows, not the day's data
    daily_build = [*build, *WITHOUT_UNIT_TESTS]
    steps[INCREMENTAL] = measure(daily_build, env=env, log=work / f"build_{users}_incremental.log")
    slowest[INCREMENTAL] = slowest_nodes(target / "run_results.json")
    shutil.copy(target / "run_results.json", work / f"run_results_{users}_incremental.json")
    # what a daily run ends with: the marts published for BI, then the report read from them
    published, report = work / f"published_{users}", work / f"report_{users}.html"
    steps["publish"] = measure(
        [UW, "publish", "--db", str(db), "--out", str(published), "--run-results", str(target / "run_results.json")],
        log=work / f"publish_{users}.log",
    )
    steps["report"] = measure(
        [UW, "report", "--db", str(published / "user_warehouse.duckdb"), "--out", str(report)],
        log=work / f"report_{users}.log",
    )
    steps["exports"] = measure(
        [UW, "export", "--db", str(published / "user_warehouse.duckdb"), "--out", str(work / f"audiences_{users}")],
        log=work / f"exports_{users}.log",
    )
    steps[DAILY] = (sum(steps[step][0] for step in DAILY_STEPS), max(steps[step][1] for step in DAILY_STEPS))
    events = manifest["rows"]["raw_events"]
    return {
        "users": users,
        "raw_events": events,
        "steps": steps,
        "report_mib": report.stat().st_size / 2**20,
        "events_per_second": events / steps[FULL][0],
        "incremental_share": steps[INCREMENTAL][0] / steps[FULL][0],
        "times_floor": steps[FULL][0] / steps[FLOOR][0],
        "slowest": slowest,
        "warehouse_mib": db.stat().st_size / 2**20,
    }


def markdown(results: list[dict]) -> str:
    lines = [
        "| users | raw events | step | seconds | peak MiB | events / s | against full, floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for step, (seconds, peak) in r["steps"].items():
            rate = f"{r['events_per_second']:,.0f}" if step == FULL else ""
            against = {INCREMENTAL: f"{r['incremental_share']:.0%}", FULL: f"{r['times_floor']:.1f}× the floor"}
            share = against.get(step, "")
            lines.append(
                f"| {r['users']:,} | {r['raw_events']:,} | {step} | {seconds:,.1f} | {peak:,.0f} | {rate} | {share} |"
            )
    lines += ["", "Report size: " + ", ".join(f"{r['users']:,} users {r['report_mib']:.1f} MiB" for r in results)]
    for step in (FULL, INCREMENTAL):
        lines += ["", f"Slowest nodes, {step}:", ""]
        for r in results:
            nodes = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r["slowest"][step])
            lines.append(f"- {r['users']:,} users: {nodes}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw benchmark", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--users", type=int, nargs="+", default=[10_000, 100_000], help="one or more sizes (default: 10000 100000)"
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=ROOT / "reports" / "benchmark",
        help="folder for benchmark.md and benchmark.json (default: reports/benchmark)",
    )
    parser.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/user_warehouse_bench"))
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--dirty", type=float, default=0.0)
    parser.add_argument("--select", default=None, help="dbt --select for the build step (default: everything)")
    parser.add_argument("--reuse-data", action="store_true", help="skip generation when the data is there")
    args = parser.parse_args(argv)
    results = [run_size(users, args) for users in args.users]
    table = markdown(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmark.md").write_text(table)
    (args.out / "benchmark.json").write_text(json.dumps(results, indent=2))
    print(table)
    print(f"written to {args.out}/benchmark.md; dbt logs in {args.work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
