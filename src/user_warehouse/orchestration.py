"""The daily cycle as Dagster assets (docs/operations.md#dagster): every dbt model, seed and snapshot (its data
tests as asset checks), then the published marts, the report and the audience exports, and the freshness check
on what was published. A schedule runs it all every day; `dagster dev` shows the graph.

    pip install -e ".[orchestrate]"
    dagster dev -m user_warehouse.orchestration

DuckDB, as `uw build` on DuckDB does it. Your own data: UW_DBT_VARS holds the dbt vars as YAML, e.g.
'{raw_source: files, raw_path: /srv/raw}'; DUCKDB_PATH, PUBLISH_DIR and PII_SALT as for uw build.
"""

import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from user_warehouse import build, export, freshness, project, publish, report

ROOT = project.root()
MANIFEST_TARGET = ROOT / "target" / "dagster"  # where the definitions' own parse writes, apart from builds
DAILY_CRON = "30 2 * * *"  # after the night's files have landed (docs/operations.md#a-schedule)
PROJECT_FOLDERS = ("models", "macros", "seeds", "snapshots", "tests")

dbt_project = DbtProject(project_dir=ROOT, profiles_dir=ROOT, target_path=MANIFEST_TARGET)


def _manifest() -> pathlib.Path:
    """The dbt manifest the assets are read from, parsed again whenever a project file is newer than it."""
    manifest = dbt_project.manifest_path
    sources = [ROOT / "dbt_project.yml", *(p for d in PROJECT_FOLDERS for p in (ROOT / d).rglob("*") if p.is_file())]
    if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
        parsed = subprocess.run(
            [
                str(pathlib.Path(sys.executable).with_name("dbt")),
                "parse",
                "--quiet",
                "--target-path",
                str(MANIFEST_TARGET),
            ],
            cwd=ROOT,
            env={**os.environ, "DBT_PROFILES_DIR": str(ROOT)},
            capture_output=True,
            text=True,
        )
        if parsed.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{parsed.stdout[-3000:]}")
    return manifest


def _vars_args() -> list[str]:
    given = os.environ.get("UW_DBT_VARS")
    return ["--vars", given] if given else []


@dbt_assets(manifest=_manifest(), project=dbt_project)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator:
    """dbt build of the selected models with their data tests, as the daily command runs it (no unit tests);
    its run_results.json lands in dbt's target folder, where publishing reads whether the build passed."""
    target = project.target_path()
    invocation = dbt.cli(["build", *build.WITHOUT_UNIT_TESTS, *_vars_args()], context=context, target_path=target)
    yield from invocation.stream()


def _mart_keys() -> list[dg.AssetKey]:
    """The marts (schema marts): what publishing copies, so what it waits for."""
    return [key for key in warehouse_models.keys if key.path[0] == "marts"]


@dg.asset(
    deps=_mart_keys(), description="The marts swapped in whole for BI tools (uw publish), after a build that passed"
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    nodes = publish.check_build_passed(project.target_path() / "run_results.json")
    counts = publish.publish(project.duckdb_path().resolve(), project.publish_dir().resolve())
    context.log.info(f"published {len(counts)} marts (the build's {nodes} nodes passed)")
    return dg.MaterializeResult(metadata={"marts": len(counts), "rows": sum(rows for _, rows in counts)})


@dg.asset(deps=[published_marts], description="The daily operations report, one HTML file (uw report)")
def daily_report() -> None:
    report.main(["--db", str(project.publish_dir() / publish.PUBLISHED_FILE)])


@dg.asset(deps=[published_marts], description="One CSV and one Parquet file per audience (uw export)")
def audience_exports() -> None:
    export.main(["--db", str(project.publish_dir() / publish.PUBLISHED_FILE)])


@dg.asset_check(asset=published_marts, description="Each raw relation's newest data within max_data_age_days")
def data_is_fresh() -> dg.AssetCheckResult:
    published = project.publish_dir() / publish.PUBLISHED_FILE
    stale = freshness.stale(freshness.check("duckdb", published, freshness.clock()))
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"stale": ", ".join(stale) or "none"},
    )


daily_cycle = dg.define_asset_job("daily_cycle", selection=dg.AssetSelection.all())

defs = dg.Definitions(
    assets=[warehouse_models, published_marts, daily_report, audience_exports],
    asset_checks=[data_is_fresh],
    jobs=[daily_cycle],
    schedules=[dg.ScheduleDefinition(job=daily_cycle, cron_schedule=DAILY_CRON, execution_timezone="UTC")],
    # the dbt of this Python environment, whether or not its bin folder is on PATH
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(ROOT),
            dbt_executable=str(pathlib.Path(sys.executable).with_name("dbt")),
        )
    },
)
