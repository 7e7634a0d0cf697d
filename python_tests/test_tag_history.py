"""Tag history (docs/rules/tags.md#history): builds at later as_of_date values, each
followed by the snapshot, show when users gained and lost tags; a what-if
build at an earlier as_of_date leaves history untouched and says so."""

from __future__ import annotations

import duckdb

from conftest import run_dbt

# What a daily build does for history, in dbt's order: the tags and the gate,
# the snapshot, then the record of the build (the data tests but the gate's
# are left to the other tests).
HISTORY_BUILD = [
    "build",
    "--select",
    "+tag_history_builds",
    "user_tag_changes",
    "--exclude-resource-type",
    "test",
    "unit_test",
]


def _build_history(db, as_of_date: str, *, test_gate: bool = False) -> str:
    result = run_dbt(HISTORY_BUILD, db, {"as_of_date": as_of_date})
    assert result.returncode == 0, result.stdout[-3000:]
    if not test_gate:
        return result.stdout
    gate = run_dbt(["test", "--select", "int_history_gate"], db, {"as_of_date": as_of_date})
    assert gate.returncode == 0, gate.stdout[-3000:]
    return result.stdout + gate.stdout


def _history(con) -> tuple[list, list, list]:
    snapshot = con.execute(
        "select user_tag_id, dbt_valid_from, dbt_valid_to from snapshots.user_tags_snapshot order by all"
    ).fetchall()
    changes = con.execute("select * from marts.user_tag_changes order by all").fetchall()
    builds = con.execute("select * from marts.tag_history_builds order by all").fetchall()
    return snapshot, changes, builds


def test_later_as_of_dates_make_history_and_a_what_if_build_leaves_it_untouched(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    assert run_dbt(["seed"], db).returncode == 0
    for as_of_date in ("2024-03-31", "2024-06-30"):
        _build_history(db, as_of_date)

    with duckdb.connect(str(db), read_only=True) as con:
        changes = dict(con.execute("select change, count(*) from marts.user_tag_changes group by change").fetchall())
        first_snapshot = con.execute("select min(changed_at) from marts.user_tag_changes").fetchone()[0]
        later_gains = con.execute(
            "select count(*) from marts.user_tag_changes where change = 'gained' and changed_at > ?", [first_snapshot]
        ).fetchone()[0]
        # A lost tag is no longer in user_tags; a later gain is in it, dated by its build.
        lost_still_held = con.execute("""
            select count(*) from marts.user_tag_changes as c
            inner join marts.user_tags as t on c.user_id = t.user_id and c.tag_id = t.tag_id
            where c.change = 'lost'
              and not exists (select 1 from marts.user_tag_changes as g
                              where g.user_id = c.user_id and g.tag_id = c.tag_id
                                and g.change = 'gained' and g.changed_at > c.changed_at)
        """).fetchone()[0]
        gain_dates = {
            str(d)
            for (d,) in con.execute(
                "select distinct as_of_date from marts.user_tag_changes where change = 'gained'"
            ).fetchall()
        }
        before = _history(con)
    assert changes.get("lost", 0) > 0
    assert later_gains > 0
    assert lost_still_held == 0
    assert gain_dates == {"2024-03-31", "2024-06-30"}
    assert [(b[0], str(b[1]), str(b[2])) for b in before[2]] == [
        (1, "2024-03-31", "None"),
        (2, "2024-06-30", "2024-03-31"),
    ]

    # A what-if build at an earlier date: warned, and history as it was.
    output = _build_history(db, "2024-03-31", test_gate=True)
    assert "what_if_build_leaves_history_untouched" in output and "WARN 1" in output, output[-3000:]
    with duckdb.connect(str(db), read_only=True) as con:
        assert _history(con) == before
        # the what-if build's own marts are at its date all the same
        assert str(con.execute("select distinct as_of_date from marts.user_tags").fetchone()[0]) == "2024-03-31"

    # The next normal build finds nothing to regain: the what-if left no losses behind (and a rebuild of a
    # recorded date adds no row).
    _build_history(db, "2024-06-30")
    with duckdb.connect(str(db), read_only=True) as con:
        assert _history(con) == before
