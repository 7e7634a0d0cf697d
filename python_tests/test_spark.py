"""The same models on Apache Spark (docs/engines.md): every mart equal to DuckDB's.

Needs a JDK (Debian's default-jre-headless; .ci/run installs it): dbt-spark
runs Spark in its own process (method session). The demo seeds are built on
DuckDB and on Spark with the same salt; every mart must be equal
(uw compare-engines --engine spark). What Spark cannot do here is
said at each run, not hidden (docs/engines.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from conftest import BIN, ROOT, run_dbt, run_engine_build


def test_spark_builds_the_marts_duckdb_builds(tmp_path) -> None:
    assert shutil.which("java"), "no JDK: install Debian's default-jre-headless (.ci/run does)"
    duck = tmp_path / "duck.duckdb"
    built = run_dbt(["build"], duck)
    assert built.returncode == 0, built.stdout[-3000:]
    spark_env = {"SPARK_WAREHOUSE": str(tmp_path / "spark")}
    # with the unit tests: Spark orders nulls first, and they catch a default order
    on_spark = run_engine_build("spark", tmp_path / "spark-run", env=spark_env)
    assert on_spark.returncode == 0, on_spark.stdout[-3000:]
    # what Spark cannot build without Delta or Iceberg is said, not hidden
    assert "snapshot user_tags_snapshot and mart user_tag_changes are not built" in on_spark.stdout
    assert "marts.user_tag_changes" not in on_spark.stdout

    compared = subprocess.run(
        [str(BIN / "uw"), "compare-engines", "--duckdb", str(duck), "--engine", "spark"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **spark_env, "DBT_PROFILES_DIR": str(ROOT)},
    )
    assert compared.returncode == 0, compared.stdout[-3000:] + compared.stderr[-3000:]
    assert compared.stdout.strip().splitlines()[-1].endswith("on spark: equal"), compared.stdout[-2000:]
