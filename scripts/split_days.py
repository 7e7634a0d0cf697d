#!/usr/bin/env python3
"""Split raw files into history (days before the last) and one new day.

For incremental builds (docs/performance.md): the history goes to
<out>/history/raw_<relation>/part-1.parquet and the new day to
<out>/new_day/raw_<relation>/part-2.parquet. Build on the history, copy the
new day's parts beside it, and build again: that is one daily increment.

With --edge-cases the new day also carries what makes increments hard: late
events for two days before it (held back from the history), a device
logging in for the first time (its earlier anonymous sessions must be
re-attributed), an exact copy and a key duplicate of old events, and a user
whose events are in the history but who registers only in the new day's
file (orphans that become valid).

    python scripts/split_days.py --src data/raw --out /tmp/split --edge-cases
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

import duckdb

# relation -> the timestamp column its rows are split by (order items follow their order)
DAY_COLUMNS = {"raw_users": "registered_at", "raw_events": "event_time", "raw_orders": "ordered_at",
               "raw_feedback": "submitted_at"}
LATE_DAYS = 2


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(src: pathlib.Path, relation: str) -> str | None:
    for suffix, reader in ((".parquet", "read_parquet"), (".csv", "read_csv")):
        path = src / f"{relation}{suffix}"
        if path.exists():
            options = "" if reader == "read_parquet" else ", all_varchar = true"
            return f"{reader}({quote_literal(str(path))}{options})"
    return None


def split(src: pathlib.Path, out: pathlib.Path, edge_cases: bool = False) -> dt.date:
    """Write the history and new-day parts; return the new day."""
    con = duckdb.connect()
    for relation in [*DAY_COLUMNS, "raw_order_items"]:
        reader = _source(src, relation)
        if reader is None:
            continue
        con.execute(f"create table {relation} as select * from {reader}")
        day_of = "try_cast(substr(trim({}), 1, 10) as date)"
        if relation == "raw_order_items":
            con.execute("alter table raw_order_items add column split_day date")
            con.execute("update raw_order_items set split_day = orders.split_day"
                        " from raw_orders as orders where raw_order_items.order_id = orders.order_id")
        else:
            con.execute(f"alter table {relation} add column split_day date")
            con.execute(f"update {relation} set split_day = {day_of.format(DAY_COLUMNS[relation])}")
    # the latest ordinary day: future days and stray outlier records (a few rows on a day of their own) are not
    new_day = con.execute(
        "with days as (select split_day, count(*) as events from raw_events where split_day is not null"
        " and split_day <= current_date group by split_day) select max(split_day) from days"
        " where events >= 0.1 * (select median(events) from days)").fetchone()[0]
    late_day = new_day - dt.timedelta(days=LATE_DAYS)
    for relation in ["raw_users", "raw_events", "raw_orders", "raw_feedback", "raw_order_items"]:
        if con.execute(f"select count(*) from information_schema.tables where table_name = '{relation}'").fetchone()[0]:
            con.execute(f"alter table {relation} add column is_new boolean")
            con.execute(f"update {relation} set is_new = coalesce(split_day = ?, false)", [new_day])
    if edge_cases:
        _add_edge_cases(con, new_day, late_day)
    for part, is_new in (("history", False), ("new_day", True)):
        for relation in ["raw_users", "raw_events", "raw_orders", "raw_feedback", "raw_order_items"]:
            if not con.execute(f"select count(*) from information_schema.tables where table_name = '{relation}'"
                               ).fetchone()[0]:
                continue
            folder = out / part / relation
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"part-{2 if is_new else 1}.parquet"
            con.execute(f"copy (select * exclude (split_day, is_new) from {relation} where is_new = {is_new})"
                        f" to {quote_literal(str(target))} (format parquet)")
    return new_day


def _add_edge_cases(con: duckdb.DuckDBPyConnection, new_day: dt.date, late_day: dt.date) -> None:
    # late events: a fifth of the events two days before the new day arrive with it
    con.execute("update raw_events set is_new = true where split_day = ? and hash(event_id) % 5 = 0", [late_day])
    # a device seen only anonymously, active well before the window, logs in on the new day
    device = con.execute(
        "select anonymous_id from raw_events where not is_new group by anonymous_id"
        " having count(user_id) = 0 and min(split_day) < ? order by count(*) desc, anonymous_id limit 1",
        [late_day - dt.timedelta(days=7)]).fetchone()[0]
    clean_users = ("select user_id from raw_users where not is_new and regexp_full_match(user_id, '[1-9][0-9]*')"
                   " group by user_id having count(*) = 1")
    user = con.execute(f"select min(user_id) from ({clean_users})").fetchone()[0]
    con.execute(
        "insert into raw_events select * replace ("
        " 'first-login-' || event_id as event_id, ? as event_time, ? as user_id, 'login' as event_type,"
        " ? as split_day, true as is_new)"
        " from raw_events where anonymous_id = ? order by event_time desc limit 1",
        [f"{new_day}T12:00:00Z", user, new_day, device])
    # an exact copy of an old event, and another old event sent again from another page (a key duplicate)
    old = con.execute("select event_id from raw_events where not is_new order by split_day, event_id limit 2"
                      ).fetchall()
    con.execute("insert into raw_events select * replace (true as is_new) from raw_events where event_id = ?",
                [old[0][0]])
    con.execute("insert into raw_events select * replace (coalesce(page_url, '') || '?again' as page_url,"
                " true as is_new) from raw_events where event_id = ?", [old[1][0]])
    # a user with events in the history registers only in the new day's file
    con.execute(
        f"update raw_users set is_new = true where user_id = (select min(user_id) from raw_events"
        f" where not is_new and user_id in ({clean_users}) and user_id <> ?)", [user])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=pathlib.Path, required=True, help="folder of raw_<relation> files")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--edge-cases", action="store_true", help="add the hard cases of an increment")
    args = parser.parse_args(argv)
    new_day = split(args.src, args.out, args.edge_cases)
    print(f"history before {new_day} in {args.out / 'history'}, the new day in {args.out / 'new_day'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
