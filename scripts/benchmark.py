#!/usr/bin/env python3
"""Benchmark: generate N users of raw data, then `dbt build` it through raw_source files.

Prints one row per step with its wall time and peak memory (resident set size
of the step's processes). Speed is measured here, never in a timed test.

    python scripts/benchmark.py --users 1000000 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent

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
        done = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"step failed ({done.returncode}): {' '.join(cmd)}; see {log}")
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/user_warehouse_bench"))
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--dirty", type=float, default=0.0)
    parser.add_argument("--select", default=None, help="dbt --select for the build step (default: everything)")
    parser.add_argument("--reuse-data", action="store_true", help="skip generation when the data is there")
    args = parser.parse_args(argv)

    work = args.work.resolve()
    raw = work / f"raw_{args.users}_{args.format}"
    db = work / f"warehouse_{args.users}.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, float, float]] = []

    if not (args.reuse_data and (raw / "_manifest.json").exists()):
        rows.append(("generate", *measure(
            [sys.executable, "scripts/generate_data.py", "--users", str(args.users), "--format", args.format,
             "--dirty", str(args.dirty), "--out", str(raw)], log=work / "generate.log")))
    manifest = json.loads((raw / "_manifest.json").read_text())

    db.unlink(missing_ok=True)
    # generated data holds no real personal data: a fixed salt unless one is set
    env = {"PII_SALT": "benchmark-salt-not-a-secret", **os.environ, "DUCKDB_PATH": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    build = [str(BIN / "dbt"), "build", "--vars", json.dumps({"raw_source": "files", "raw_path": str(raw)}),
             "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    if args.select:
        build += ["--select", args.select]
    rows.append(("dbt build", *measure(build, env=env, log=work / "build.log")))

    print(f"users {args.users:,}; raw rows: " + ", ".join(f"{k} {v:,}" for k, v in manifest["rows"].items()))
    print(f"{'step':<12}{'seconds':>10}{'peak MiB':>10}")
    for step, seconds, peak in rows:
        print(f"{step:<12}{seconds:>10.1f}{peak:>10.0f}")
    print(f"warehouse {db} ({db.stat().st_size / 2**20:,.0f} MiB); dbt log {work / 'build.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
