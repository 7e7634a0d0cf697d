"""The same models on Apache Spark (docs/engines.md): every mart equal to DuckDB's, a new day included.

Needs a JDK (Debian's default-jre-headless; make system-packages installs
it): dbt-spark runs Spark in its own process (method session). A small sample
made like the demo seeds is split into history and a new day (uw split-days'
edge cases). Spark builds the history, then, the new day added, runs the
commands the docs give: an incremental build with every unit test, compared
mart by mart (uw compare-engines --engine spark) with DuckDB's full build of
the same data, with the same salt. What Spark cannot do here is said at each
run, not hidden.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import BIN, demo_sample_by_day, use_as_seeds
from doc_commands import doc_blocks, sandbox

SAMPLE_USERS = 300
COUNT_BATCHES = """
import json
from user_warehouse.engines import spark_session
spark = spark_session()
counts = "select load_batch, count(*) from {} group by load_batch"
print(json.dumps({
    model: {str(batch): rows for batch, rows in spark.sql(counts.format(model)).collect()}
    for model in ("staging.base_events_deduplicated", "staging.base_events_typed", "intermediate.int_device_events")
}))
"""


def _run(command: list[str], project, env, timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout)


def test_spark_builds_a_new_day_incrementally_into_the_marts_duckdb_builds_whole(tmp_path) -> None:
    """The Spark commands the docs give, on a small sample made like the demo: Spark builds the history, then the
    new day incrementally with every unit test; its marts equal DuckDB's full build of history and new day."""
    assert shutil.which("java"), "no JDK: make system-packages installs Debian's default-jre-headless"
    project, env = sandbox(tmp_path)
    sample = demo_sample_by_day(SAMPLE_USERS, tmp_path / "sample")
    use_as_seeds(sample["full"], project)
    on_duckdb = _run([str(BIN / "dbt"), "build", "--exclude", "test_type:unit"], project, env, timeout=900)
    assert on_duckdb.returncode == 0, on_duckdb.stdout[-3000:]

    # the history, built with --full-refresh over a fold built before: without Delta, dbt-spark drops a table
    # before it rebuilds it, and the run numbers must keep counting all the same
    use_as_seeds(sample["history"], project)
    no_tests = ["--exclude", "test_type:unit", "test_type:data"]
    for command in (
        [str(BIN / "dbt"), "build", "--target", "spark", "--select", "+base_events_deduplicated", *no_tests],
        [str(BIN / "uw"), "build", "--target", "spark", "--full-refresh", *no_tests],
    ):
        history = _run(command, project, env)
        assert history.returncode == 0, f"{command}\n{history.stdout[-3000:]}\n{history.stderr[-3000:]}"
    use_as_seeds(sample["full"], project)
    (block,) = doc_blocks("spark")
    script = block.script(BIN, tmp_path)
    result = _run(["bash", "-c", script], project, env)
    assert result.returncode == 0, f"{script}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    # what Spark cannot build without Delta or Iceberg is said, not hidden
    not_built = "snapshot user_tags_snapshot and marts user_tag_changes and tag_history_builds are not built"
    assert not_built in result.stdout
    assert "marts.user_tag_changes" not in result.stdout
    assert result.stdout.strip().splitlines()[-1].endswith("on spark: equal"), result.stdout[-2000:]

    # the day's build was incremental: it typed the new day's few rows, rebuilt only the changed devices,
    # and kept the other rows of the buckets it overwrote (read in a process of its own: Spark's JVM stays
    # with the process that opened it)
    counted = _run([str(BIN / "python"), "-c", COUNT_BATCHES], project, env, timeout=600)
    assert counted.returncode == 0, counted.stderr[-3000:]
    batches = json.loads(counted.stdout.strip().splitlines()[-1])
    for model, (history_batch, day_batch) in {
        "staging.base_events_deduplicated": ("2", "3"),
        "staging.base_events_typed": ("1", "2"),
        "intermediate.int_device_events": ("1", "2"),
    }.items():
        counts = batches[model]
        assert set(counts) == {history_batch, day_batch}, (model, counts)
        assert counts[day_batch] < 0.2 * counts[history_batch], (model, counts)
