"""Shared helpers: the repository root, the generator module, and dbt in a subprocess."""

from __future__ import annotations

import csv
import json
import os
import pathlib
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

from user_warehouse.publish import check_build_passed

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = pathlib.Path(sys.executable).parent

# great_expectations imports pyspark.sql.connect when pyspark is installed (the
# Spark target needs it), and pyspark.sql.connect takes a __main__ without
# __spec__ or __file__ for a doctest run and calls sys.exit(0). A pytest-xdist
# worker's __main__ is such a module: give it the file it runs.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = sys.argv[0] or __file__


# The salt the tests hash personal data with (never a real one).
TEST_PII_SALT = "test-salt-not-a-secret"


def _dbt_env(db_path: pathlib.Path, env: dict[str, str | None] | None) -> dict[str, str]:
    merged = {
        **os.environ,
        "PII_SALT": TEST_PII_SALT,
        "DUCKDB_PATH": str(db_path),
        "DBT_PROFILES_DIR": str(ROOT),
        **(env or {}),
    }
    return {key: value for key, value in merged.items() if value is not None}


def _dbt_paths(work: pathlib.Path, dbt_vars: dict | None) -> list[str]:
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    return paths + (["--vars", json.dumps(dbt_vars)] if dbt_vars else [])


def uw(
    args: list[str], env: dict[str, str] | None = None, check: bool = True, timeout: int = 600
) -> subprocess.CompletedProcess:
    """The `uw` command in a subprocess from the repository root, as a user runs it."""
    result = subprocess.run(
        [str(BIN / "uw"), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, f"uw {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def run_dbt(
    args: list[str],
    db_path: pathlib.Path,
    dbt_vars: dict | None = None,
    tmp: pathlib.Path | None = None,
    env: dict[str, str | None] | None = None,
    unit_tests: bool = False,
    timeout: int = 600,
) -> subprocess.CompletedProcess:
    """Run dbt from the repository root against its own DuckDB file; never raises.
    env overrides the environment (None removes a variable); PII_SALT defaults to TEST_PII_SALT.
    A `build` leaves out dbt's unit tests unless unit_tests is set: their inputs are hand-made, so running them
    again on each scenario's data checks nothing new (make test's own build runs them, and
    test_case5_user_settings_never_fail_a_unit_test_and_times_are_right runs them under unusual vars)."""
    cmd = [str(pathlib.Path(sys.executable).with_name("dbt")), *args, *_dbt_paths(tmp or db_path.parent, dbt_vars)]
    if args[:1] == ["build"] and not unit_tests and not {"--select", "-s", "--exclude"} & set(args):
        cmd += ["--exclude", "test_type:unit"]
    return subprocess.run(cmd, cwd=ROOT, env=_dbt_env(db_path, env), capture_output=True, text=True, timeout=timeout)


def project_copy(target: pathlib.Path) -> pathlib.Path:
    """The committed files of the project, copied to target (to change a seed without touching the repo)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def demo_sample_by_day(users: int, work: pathlib.Path) -> dict[str, pathlib.Path]:
    """A sample made like the demo seeds (the generator's demo settings at `users`), split into history and a new
    day with uw split-days' edge cases: {'history': folder, 'full': folder}, each of raw_*.csv written as the
    generator writes seeds, the full folder holding the history and the new day."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from user_warehouse import generate as gen
    from user_warehouse import split_days

    demo = json.loads((ROOT / "seeds/raw/demo_manifest.json").read_text())
    gen.generate(users, work / "generated", "parquet", seed=demo["seed"], dirty=demo["dirty_rate"])
    split_days.split(work / "generated", work / "split", edge_cases=True)
    folders = {"history": work / "history", "full": work / "full"}
    for folder in folders.values():
        folder.mkdir()
    for part in sorted((work / "split" / "history").iterdir()):
        history = pq.read_table(part / "part-1.parquet")
        new_day = work / "split" / "new_day" / part.name / "part-2.parquet"
        full = (
            pa.concat_tables([history, pq.read_table(new_day)], promote_options="permissive")
            if new_day.exists()
            else history
        )
        pacsv.write_csv(history, folders["history"] / f"{part.name}.csv")
        pacsv.write_csv(full, folders["full"] / f"{part.name}.csv")
    return folders


def use_as_seeds(folder: pathlib.Path, project: pathlib.Path) -> None:
    """The raw_*.csv of folder as the project's demo seeds."""
    for path in folder.glob("raw_*.csv"):
        shutil.copy(path, project / "seeds" / "raw" / path.name)


def append_row(path: pathlib.Path, row: dict) -> None:
    """One row appended to a CSV file, columns as its header names them (missing ones empty)."""
    with open(path, newline="") as handle:
        fields = next(csv.reader(handle))
    with open(path, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerow(row)


@dataclass(frozen=True)
class Build:
    """A finished build: its warehouse file and the run_results.json that says it passed."""

    db: pathlib.Path
    run_results: pathlib.Path


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Build:
    """The demo build every test that only reads it shares: make test's own (UW_DEMO_DB, with the run_results.json
    `make pytest` kept of it in UW_DEMO_RUN_RESULTS), else one build per test worker. Read it, never write it: copy
    it to change it."""
    shared = os.environ.get("UW_DEMO_DB")
    work = tmp_path_factory.mktemp("demo")
    if shared:
        results = pathlib.Path(os.environ.get("UW_DEMO_RUN_RESULTS", ROOT / "target" / "run_results.json"))
        assert pathlib.Path(shared).exists() and results.exists(), f"UW_DEMO_DB={shared}: no such build"
        check_build_passed(results)  # the build that made the shared warehouse passed whole
        return Build(pathlib.Path(shared), results)
    result = run_dbt(["build"], work / "w.duckdb", tmp=work)
    assert result.returncode == 0, result.stdout[-3000:]
    return Build(work / "w.duckdb", work / "target" / "run_results.json")


def publish(build: Build, out: pathlib.Path) -> pathlib.Path:
    """`uw publish` of a build into out; the published DuckDB file."""
    uw(["publish", "--db", str(build.db), "--out", str(out), "--run-results", str(build.run_results)])
    return out / "user_warehouse.duckdb"


CHROMIUM, CHROMEDRIVER = pathlib.Path("/usr/bin/chromium"), pathlib.Path("/usr/bin/chromedriver")


def chromium(profile: pathlib.Path, window: str = "1400,1000"):
    """Debian's chromium, headless, driven by selenium; its console log kept for the tests to read."""
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), (
        "the browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # as root, with no network: no sandbox, and no background connections that the closed network refuses
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={window}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


# The modules that take longest start first: make pytest passes --no-loadscope-reorder, without which xdist
# starts the modules with the most tests first and a long module with one test may start last.
LONGEST_FIRST = ("test_spark.py", "test_engines.py", "test_incremental.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.nodeid.split("::")[0].rsplit("/", 1)[-1]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
