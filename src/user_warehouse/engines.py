"""Connections to each engine, opened the way profiles.yml's targets open them: the one place that knows how.

PostgreSQL is reached with libpq's env vars (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and the defaults of
profiles.yml's target postgres; Spark is opened by dbt-spark in this process (target spark, SPARK_WAREHOUSE).
The drivers are imported only when a connection is asked for: they belong to the extras [postgres] and [spark].
"""

from __future__ import annotations

import os
import pathlib
import time

import duckdb


def duckdb_connection(path: pathlib.Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A DuckDB warehouse file; read-only unless asked, so a reader never takes dbt's write lock."""
    return duckdb.connect(str(path), read_only=read_only)


def postgres_connection():
    """A connection to PostgreSQL as profiles.yml's target postgres reaches it (libpq's env vars)."""
    import psycopg2

    return psycopg2.connect(
        host=os.environ.get("PGHOST", "localhost"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "dbt"),
        password=os.environ.get("PGPASSWORD", "dbt"),
        dbname=os.environ.get("PGDATABASE", "user_warehouse"),
    )


def wait_for_other_spark(warehouse: str, timeout_seconds: float = 120) -> None:
    """Wait until no other JVM has the warehouse's Derby metastore open.

    Derby lets one process at a time open it, and the JVM of a dbt run that
    just ended can take seconds to exit; a session opened meanwhile sees an
    empty catalog. The JVM is found by the derby.system.home in its command
    line (profiles.yml)."""
    marker = f"-Dderby.system.home={warehouse}".encode()
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        busy = False
        for cmdline in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
            try:
                busy = busy or (marker in cmdline.read_bytes() and cmdline.parent.name != str(os.getpid()))
            except OSError:
                continue
        if not busy:
            return
        time.sleep(1)
    raise SystemExit(f"another Spark process still has {warehouse} open after {timeout_seconds:.0f} s")


def spark_session():
    """The Spark session of profiles.yml's target spark, opened by dbt-spark in this process."""
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    wait_for_other_spark(os.environ.get("SPARK_WAREHOUSE", "warehouse/spark"))
    opened = dbtRunner().invoke(["--quiet", "debug", "--target", "spark", "--no-version-check"])
    if not opened.success:
        raise SystemExit("could not open the Spark warehouse: dbt debug --target spark failed")
    return SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
