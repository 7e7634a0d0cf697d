"""The same models on Apache Spark (docs/engines.md): every mart equal to DuckDB's.

Needs a JDK (Debian's default-jre-headless; make system-packages installs
it): dbt-spark runs Spark in its own process (method session). A small sample
made like the demo seeds is built on DuckDB and on Spark with the same salt;
every mart must be equal (uw compare-engines --engine spark). What Spark
cannot do here is said at each run, not hidden.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import BIN, ROOT
from doc_commands import doc_blocks, sandbox

SAMPLE_USERS = 300


def test_spark_builds_the_marts_duckdb_builds(tmp_path) -> None:
    """The Spark commands the docs give, on a small sample made like the demo (the generator's demo settings at
    300 users, as seeds): built on DuckDB, then on Spark with every unit test, and compared mart by mart."""
    assert shutil.which("java"), "no JDK: make system-packages installs Debian's default-jre-headless"
    project, env = sandbox(tmp_path)
    demo = json.loads((ROOT / "seeds/raw/demo_manifest.json").read_text())
    generated = subprocess.run(
        [
            str(BIN / "uw"),
            "generate",
            "--users",
            str(SAMPLE_USERS),
            "--seed",
            str(demo["seed"]),
            "--dirty",
            str(demo["dirty_rate"]),
            "--format",
            "csv",
            "--out",
            "seeds/raw",
            "--quiet",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr[-2000:]
    on_duckdb = subprocess.run(
        [str(BIN / "dbt"), "build", "--exclude", "test_type:unit"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert on_duckdb.returncode == 0, on_duckdb.stdout[-3000:]
    (block,) = doc_blocks("spark")
    script = block.script(BIN, tmp_path)
    result = subprocess.run(["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"{script}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    # what Spark cannot build without Delta or Iceberg is said, not hidden
    not_built = "snapshot user_tags_snapshot and marts user_tag_changes and tag_history_builds are not built"
    assert not_built in result.stdout
    assert "marts.user_tag_changes" not in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("on spark: equal"), result.stdout[-2000:]
