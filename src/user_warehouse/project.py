"""Where the dbt project is, and the paths every subcommand shares."""

from __future__ import annotations

import os
import pathlib


def root() -> pathlib.Path:
    """The dbt project: $UW_PROJECT_DIR, else the working folder when it holds dbt_project.yml, else the
    checkout this package was installed from (an editable install, as the Makefile makes)."""
    configured = os.environ.get("UW_PROJECT_DIR")
    if configured:
        return pathlib.Path(configured).resolve()
    here = pathlib.Path.cwd()
    if (here / "dbt_project.yml").exists():
        return here
    return pathlib.Path(__file__).resolve().parents[2]


def duckdb_path() -> pathlib.Path:
    """The working DuckDB file dbt builds into (profiles.yml reads the same variable)."""
    return pathlib.Path(os.environ.get("DUCKDB_PATH", root() / "warehouse" / "user_warehouse.duckdb"))


def publish_dir() -> pathlib.Path:
    """Where BI tools read the published marts."""
    return pathlib.Path(os.environ.get("PUBLISH_DIR", root() / "warehouse" / "published"))


def target_path() -> pathlib.Path:
    """dbt's target folder (run_results.json), as dbt itself resolves it."""
    return pathlib.Path(os.environ.get("DBT_TARGET_PATH", root() / "target"))


def dbt_vars() -> dict:
    """The vars dbt_project.yml sets (the rules live there once; Python reads them from there too)."""
    import yaml

    return yaml.safe_load((root() / "dbt_project.yml").read_text()).get("vars", {})


def limit_duckdb(con) -> None:
    """The memory limit and threads of the warehouse's profile (env vars DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS) on a
    DuckDB connection opened outside dbt: without them DuckDB takes 80 % of the machine's memory."""
    memory = os.environ.get("DUCKDB_MEMORY_LIMIT", "3GB").replace("'", "''")
    con.execute(f"set memory_limit = '{memory}'")
    con.execute(f"set threads = {int(os.environ.get('DUCKDB_THREADS', '2'))}")
