"""Daily incremental builds give the same marts as a full refresh (issue 12).

The data is split into history and a new day (uw split-days
--edge-cases): the new day carries late events for two days before it, a
device logging in for the first time, an exact copy and a key duplicate of
old events, and the registration of a user whose events are in the history.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil

import duckdb
import pytest

from user_warehouse import compare as compare_marts
from user_warehouse import generate as gen
from user_warehouse import split_days

from conftest import run_dbt


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> pathlib.Path:
    work = tmp_path_factory.mktemp("increment")
    gen.generate(1500, work / "src", "parquet", seed=12, dirty=0.02)
    split_days.split(work / "src", work / "split", edge_cases=True)
    return work / "split"


def _history_folder(split: pathlib.Path, into: pathlib.Path, layout: str = "parts") -> pathlib.Path:
    """The history as folders of parts (raw_events/part-1.parquet), or as one file per relation."""
    if layout == "parts":
        shutil.copytree(split / "history", into)
    else:
        into.mkdir()
        for part in (split / "history").iterdir():
            shutil.copy(part / "part-1.parquet", into / f"{part.name}.parquet")
    return into


def _add_new_day(split: pathlib.Path, raw: pathlib.Path, layout: str = "parts") -> None:
    """A new part beside the old ones, or each file replaced by a bigger one holding the new day too."""
    for part in (split / "new_day").iterdir():
        if layout == "parts":
            shutil.copy(part / "part-2.parquet", raw / part.name / "part-2.parquet")
        else:
            grown = raw / f"{part.name}.next.parquet"
            with duckdb.connect() as con:
                con.execute(
                    f"copy (select * from read_parquet(['{raw / part.name}.parquet',"
                    f" '{part / 'part-2.parquet'}'])) to '{grown}' (format parquet)"
                )
            grown.replace(raw / f"{part.name}.parquet")


def _query(db: pathlib.Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


# parts: a run reads only the added file; one file: it grew, so a run compares every raw row with what it stored
@pytest.mark.parametrize("layout", ["parts", "one file"])
def test_an_incremental_day_gives_the_marts_of_a_full_refresh(split, tmp_path, layout) -> None:
    raw = _history_folder(split, tmp_path / "raw", layout)
    settings = {"raw_source": "files", "raw_path": str(raw)}
    incremental = tmp_path / "incremental.duckdb"
    first = run_dbt(["build"], incremental, settings, tmp=tmp_path / "a")
    assert first.returncode == 0, first.stdout[-3000:]
    _add_new_day(split, raw, layout)
    second = run_dbt(["build"], incremental, settings, tmp=tmp_path / "a")
    assert second.returncode == 0, second.stdout[-3000:]

    refreshed = tmp_path / "refreshed.duckdb"
    shutil.copy(incremental, refreshed)
    full = run_dbt(["build", "--full-refresh"], refreshed, settings, tmp=tmp_path / "b")
    assert full.returncode == 0, full.stdout[-3000:]

    # the second build was incremental: it typed a small batch, and kept the rest
    batches = _query(incremental, "select load_batch, count(*) from staging.base_events_typed group by 1 order by 1")
    assert len(batches) == 2 and batches[1][1] < 0.05 * batches[0][1], batches
    # the device that logged in on the new day owns its old anonymous sessions
    owners = _query(
        incremental,
        "select distinct sessions.session_date < events.event_date, sessions.person_id"
        " from marts.fct_sessions as sessions inner join marts.fct_events as events"
        " on sessions.anonymous_id = events.anonymous_id where events.event_id like 'first-login-%'",
    )
    assert {owner for _, owner in owners} == {
        _query(incremental, "select user_id from marts.fct_events where event_id like 'first-login-%'")[0][0]
    }
    assert (True,) in {(earlier,) for earlier, _ in owners}

    left = compare_marts.mart_fingerprints(incremental)
    right = compare_marts.mart_fingerprints(refreshed)
    assert len(left) >= 25
    # the history of the builds themselves: two builds record two states
    for mart in compare_marts.BUILD_HISTORY_MARTS:
        left.pop(mart), right.pop(mart)
    assert compare_marts.differences(left, right) == []


def test_history_rewritten_or_staging_settings_changed_stop_an_incremental_run(split, tmp_path) -> None:
    raw = _history_folder(split, tmp_path / "raw")
    settings = {"raw_source": "files", "raw_path": str(raw)}
    db = tmp_path / "w.duckdb"
    first = run_dbt(
        ["build", "--select", "+int_device_sessions", "--resource-type", "seed", "--resource-type", "model"],
        db,
        settings,
    )
    assert first.returncode == 0, first.stdout[-3000:]
    sessions_before = _query(db, "select count(distinct session_id) from intermediate.int_device_events")[0][0]

    # staging under another source_timezone would mix rows typed two ways: the run stops
    changed = run_dbt(["run", "--select", "base_events_typed"], db, {**settings, "source_timezone": "Asia/Shanghai"})
    assert changed.returncode != 0
    assert "base_events_typed was built with other values of source_timezone" in changed.stdout
    assert "--full-refresh" in changed.stdout
    # sessions under another timeout (or as_of_date) are rebuilt whole, not mixed
    resessioned = run_dbt(["run", "--select", "int_device_events"], db, {**settings, "session_timeout_minutes": 5})
    assert resessioned.returncode == 0, resessioned.stdout[-3000:]
    batches = _query(
        db,
        "select count(distinct load_batch), count(*), count(distinct session_id) from intermediate.int_device_events",
    )
    assert batches[0][0] == 1 and batches[0][2] > sessions_before, (batches, sessions_before)

    events = raw / "raw_events" / "part-1.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_parquet('{events}') limit 100) to '{tmp_path / 'cut.parquet'}' (format parquet)"
        )
    shutil.move(tmp_path / "cut.parquet", events)
    edited = run_dbt(["run", "--select", "base_events_deduplicated", "base_events_typed"], db, settings)
    assert edited.returncode != 0
    assert "rows of raw_events that base_events_deduplicated stored are no longer in raw" in edited.stdout
    assert "--full-refresh" in edited.stdout


def test_compare_marts_sees_a_changed_value_and_ignores_float_noise(tmp_path) -> None:
    paths = []
    for name, amount, extra in (("a", 0.1 + 0.2, None), ("b", 0.3, None), ("c", 0.3, "x")):
        path = tmp_path / f"{name}.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts")
            con.execute("create table marts.m (k varchar, amount double, note varchar)")
            con.execute("insert into marts.m values ('k1', ?, ?), ('k2', 1, null)", [amount, extra])
        paths.append(path)
    a, b, c = (compare_marts.mart_fingerprints(path) for path in paths)
    assert compare_marts.differences(a, b) == []
    assert compare_marts.differences(b, c) == ["m: 2 rows vs 2 rows, same count but different content"]
    assert compare_marts.main([str(paths[1]), str(paths[2])]) == 1


def test_a_part_corrected_in_place_with_its_size_and_time_kept_is_noticed(split, tmp_path) -> None:
    """cp -p, rsync -t and touch -r keep a file's size and modification time: a part corrected in place is still
    seen as changed (its change time moved), so the run compares every raw row and stops rather than keep the old
    rows (plugins/file_identity.py)."""
    raw = _history_folder(split, tmp_path / "raw")
    events = raw / "raw_events"
    with duckdb.connect() as con:
        con.execute(f"copy (select * from read_parquet('{events / 'part-1.parquet'}')) to '{events / 'part-1.csv'}'")
    (events / "part-1.parquet").unlink()
    settings = {"raw_source": "files", "raw_path": str(raw)}
    db = tmp_path / "w.duckdb"
    staging = ["--select", "base_events_deduplicated", "base_events_typed"]
    first = run_dbt(
        ["build", "--select", "+base_events_typed", "--resource-type", "seed", "--resource-type", "model"], db, settings
    )
    assert first.returncode == 0, first.stdout[-3000:]

    part = events / "part-1.csv"
    before = part.stat()
    lines = part.read_text().splitlines(keepends=True)
    # a row from the middle (the new day copies some of the first events), same bytes, another value
    row = next(i for i in range(len(lines) // 2, len(lines)) if ",page_view," in lines[i])
    lines[row] = lines[row].replace(",page_view,", ",add_to_ca,", 1)
    part.write_text("".join(lines))
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = part.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_parquet('{split / 'new_day' / 'raw_events' / 'part-2.parquet'}'))"
            f" to '{events / 'part-2.csv'}'"
        )

    second = run_dbt(["run", *staging], db, settings)
    assert second.returncode != 0, "a part corrected in place was taken as unchanged"
    assert "rows of raw_events that base_events_deduplicated stored are no longer in raw" in second.stdout


def test_a_new_day_mostly_rejected_stops_the_run_though_the_relation_is_mostly_fine(split, tmp_path) -> None:
    """A new part whose times are epoch milliseconds: a few percent of raw_events, all of this run's new rows."""
    raw = _history_folder(split, tmp_path / "raw")
    settings = {"raw_source": "files", "raw_path": str(raw)}
    db = tmp_path / "w.duckdb"
    staging = ["build", "--select", "+int_as_of_date", "--indirect-selection", "cautious"]
    first = run_dbt([*staging, "--exclude-resource-type", "unit_test"], db, settings)
    assert first.returncode == 0, first.stdout[-3000:]
    new_day = split / "new_day" / "raw_events" / "part-2.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * replace (cast(epoch_ms(cast(event_time as timestamp)) as varchar) as event_time)"
            f" from read_parquet('{new_day}')) to '{raw / 'raw_events' / 'part-2.parquet'}' (format parquet)"
        )
        new_rows = con.execute(f"select count(*) from read_parquet('{new_day}')").fetchone()[0]
    total = new_rows + _query(db, "select count(*) from staging.base_events_typed")[0][0]
    assert new_rows < 0.05 * total  # under reject_share_warn for the relation as a whole

    second = run_dbt([*staging, "--exclude-resource-type", "unit_test"], db, settings)
    assert second.returncode != 0, "a new day written in epoch milliseconds passed unnoticed"
    # (the run also re-judges the stored rows the new ones touch, such as key duplicates)
    found = re.search(r"raw_events: rejects among the rows the latest run added: (\d+) of (\d+)\b", second.stdout)
    assert found, second.stdout[-3000:]
    assert int(found[1]) == int(found[2]) >= new_rows
