"""The daily command: build, publish, report and export, stopping at the first failure.

    uw build                                              # the demo data on DuckDB
    uw build --vars '{raw_source: files, raw_path: data/raw}'
    uw build --target postgres --full-refresh             # dbt build around the predicted-value fit
    uw build --unit-tests                                 # with the dbt unit tests, as make test does

Steps, each only after the one before passed:

1. dbt build on the target, with the vars and options given, without the
   unit tests unless --unit-tests: they check the SQL on fixed inputs, which
   a new day's data cannot change, so they belong to changes of the project
   (`make test` and CI run them), not to every day's run. On DuckDB the
   predicted-value fit runs inside it (a dbt Python model); on PostgreSQL and
   Spark, which run no dbt Python models, the build runs in two parts around
   `uw fit`, in one process.
2. publish (`uw publish`), which itself refuses unless the build's
   run_results.json shows every node passed.
3. on DuckDB: the report (`uw report`) and the audience exports
   (`uw export`), both read from the published file.

Options this command does not know (--full-refresh, --select, --target-path,
...) go to dbt build.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys

from user_warehouse import export, fit, project, publish, report

# what the daily build leaves out unless --unit-tests (the benchmark times the same build)
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def dbt_build(target: str, dbt_options: list[str]) -> int:
    """dbt build on the target; on the engines without dbt Python models, around the fit."""
    if target in ("postgres", "spark"):
        return fit.build(target, dbt_options)
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    return subprocess.run([str(dbt), "build", "--target", target, *dbt_options], cwd=project.root()).returncode


def _target_path(dbt_options: list[str]) -> pathlib.Path:
    if "--target-path" in dbt_options:
        return pathlib.Path(dbt_options[dbt_options.index("--target-path") + 1])
    return project.target_path()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--target",
        choices=["dev", "postgres", "spark"],
        default=os.environ.get("DBT_TARGET", "dev"),
        help="profiles.yml's target (dev: DuckDB, the default)",
    )
    parser.add_argument("--vars", help="dbt vars as YAML, e.g. '{raw_source: files, raw_path: data/raw}'")
    parser.add_argument(
        "--no-publish", action="store_true", help="stop after dbt build (no publish, report or exports)"
    )
    parser.add_argument(
        "--unit-tests",
        action="store_true",
        help="also run the dbt unit tests (make test does; a daily run on new data has no need to)",
    )
    args, dbt_options = parser.parse_known_args(argv)
    if not args.unit_tests:
        dbt_options = [*dbt_options, *WITHOUT_UNIT_TESTS]
    if args.vars:
        dbt_options = ["--vars", args.vars, *dbt_options]
    results = _target_path(dbt_options) / "run_results.json"
    # a build killed before dbt writes its results must not leave the last build's results to publish from
    results.unlink(missing_ok=True)
    steps = 4 if args.target == "dev" else 2
    print(f"[1/{steps}] dbt build --target {args.target}", flush=True)
    if dbt_build(args.target, dbt_options) != 0:
        print("uw build: dbt build failed: nothing published", file=sys.stderr)
        return 1
    if args.no_publish:
        return 0
    print(f"[2/{steps}] publish", flush=True)
    engine = "duckdb" if args.target == "dev" else args.target
    if engine == "spark":
        print("Spark's marts stay in its warehouse (SPARK_WAREHOUSE): nothing to publish")
        return 0
    code = publish.main(["--engine", engine, "--run-results", str(results)])
    if code or engine != "duckdb":
        return code
    published = project.publish_dir() / publish.PUBLISHED_FILE
    print(f"[3/{steps}] report", flush=True)
    if report.main(["--db", str(published)]):
        return 1
    print(f"[4/{steps}] audience exports", flush=True)
    return export.main(["--db", str(published)])


if __name__ == "__main__":
    sys.exit(main())
