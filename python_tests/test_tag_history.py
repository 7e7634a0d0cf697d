"""Tag history (docs/rules/tags.md): two builds at different as_of_date values, each
followed by the snapshot, show when users gained and lost tags."""

from __future__ import annotations

import duckdb

from conftest import run_dbt


def test_two_as_of_dates_produce_gains_and_losses(tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    assert run_dbt(["seed"], db).returncode == 0
    for as_of_date in ("2024-03-31", "2024-06-30"):
        for step in (["run", "--select", "+user_tags"], ["snapshot"]):
            result = run_dbt(step, db, {"as_of_date": as_of_date})
            assert result.returncode == 0, result.stdout[-3000:]
    result = run_dbt(["run", "--select", "user_tag_changes"], db)
    assert result.returncode == 0, result.stdout[-3000:]

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
    assert changes.get("lost", 0) > 0
    assert later_gains > 0
    assert lost_still_held == 0
    assert gain_dates == {"2024-03-31", "2024-06-30"}
