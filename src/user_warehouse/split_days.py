"""Split raw files into history (every day before the last) and one new day.

For incremental builds (docs/performance.md): the history goes to
<out>/history/raw_<relation>/part-1.parquet and the new day to
<out>/new_day/raw_<relation>/part-2.parquet. Build on the history, copy the
new day's parts beside it, and build again: that is one daily increment.
Rows are streamed from file to file (DuckDB COPY), so 10M users split
within the machine's memory.

With --edge-cases the new day also carries what makes increments hard: late
events for two days before it (held back from the history), a device
logging in for the first time (its earlier anonymous sessions must be
re-attributed), an exact copy and a key duplicate of old events, and a user
whose events are in the history but who registers only in the new day's
file (orphans that become valid).

    uw split-days --src data/raw --out /tmp/split --edge-cases
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

import duckdb

# relation -> the timestamp column its rows are split by (order items follow their order)
DAY_COLUMNS = {
    "raw_users": "registered_at",
    "raw_events": "event_time",
    "raw_orders": "ordered_at",
    "raw_feedback": "submitted_at",
}
RELATIONS = ["raw_users", "raw_events", "raw_orders", "raw_order_items", "raw_feedback"]
LATE_DAYS = 2


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def day_of(column: str) -> str:
    return f"try_cast(substr(trim({column}), 1, 10) as date)"


def _reader(src: pathlib.Path, relation: str) -> str | None:
    for suffix, reader, options in ((".parquet", "read_parquet", ""), (".csv", "read_csv", ", all_varchar = true")):
        path = src / f"{relation}{suffix}"
        if path.exists():
            return f"{reader}({quote_literal(str(path))}{options})"
    return None


def split(src: pathlib.Path, out: pathlib.Path, edge_cases: bool = False) -> dt.date:
    """Write the history and new-day parts; return the new day."""
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    readers = {relation: _reader(src, relation) for relation in RELATIONS}
    for relation, reader in readers.items():
        if reader is not None:
            con.execute(f"create view {relation} as select * from {reader}")
    # the latest ordinary day: future days and stray outlier records (a few rows on a day of their own) are not
    new_day = con.execute(
        f"with days as (select {day_of('event_time')} as day, count(*) as events from raw_events"
        " group by all having day is not null and day <= current_date)"
        " select max(day) from days where events >= 0.1 * (select median(events) from days)"
    ).fetchone()[0]
    late_day = new_day - dt.timedelta(days=LATE_DAYS)
    literal = f"cast('{new_day}' as date)"
    is_new = {relation: f"{day_of(column)} = {literal}" for relation, column in DAY_COLUMNS.items()}
    extra = {relation: None for relation in RELATIONS}
    if edge_cases:
        extra["raw_events"] = _edge_case_events(con, new_day, late_day, is_new)
        moved_user = _moved_user(con, is_new)
        is_new["raw_events"] += f" or ({day_of('event_time')} = cast('{late_day}' as date) and hash(event_id) % 5 = 0)"
        is_new["raw_users"] += f" or user_id = {quote_literal(moved_user)}"
    con.execute(
        f"create temp table new_orders as select order_id from raw_orders where coalesce({is_new['raw_orders']}, false)"
    )
    is_new["raw_order_items"] = "order_id in (select order_id from new_orders)"
    for relation, reader in readers.items():
        if reader is None:
            continue
        # every row goes to exactly one part, whatever nulls it holds
        new_row = f"coalesce({is_new[relation]}, false)"
        for part, number, condition in (("history", 1, f"not {new_row}"), ("new_day", 2, new_row)):
            folder = out / part / relation
            folder.mkdir(parents=True, exist_ok=True)
            query = f"select * from {relation} where {condition}"
            if number == 2 and extra[relation]:
                query += f" union all {extra[relation]}"
            con.execute(f"copy ({query}) to {quote_literal(str(folder / f'part-{number}.parquet'))} (format parquet)")
    return new_day


def _clean_users(is_new: dict[str, str]) -> str:
    """Users with a plain numeric id sent once in the history: no placeholder, no duplicate."""
    return (
        f"select user_id from raw_users where not coalesce({is_new['raw_users']}, false)"
        " and regexp_full_match(user_id, '[1-9][0-9]*') group by user_id having count(*) = 1"
    )


def _edge_case_events(
    con: duckdb.DuckDBPyConnection, new_day: dt.date, late_day: dt.date, is_new: dict[str, str]
) -> str:
    """The crafted new-day events, as a query over raw_events."""
    user = con.execute(f"select min(user_id) from ({_clean_users(is_new)})").fetchone()[0]
    # a device seen only anonymously, active well before the new day, logs in on it
    device = con.execute(
        f"select anonymous_id from raw_events where not coalesce({is_new['raw_events']}, false) group by anonymous_id"
        f" having count(user_id) = 0 and min({day_of('event_time')}) < cast(? as date)"
        " order by count(*) desc, anonymous_id limit 1",
        [late_day - dt.timedelta(days=7)],
    ).fetchone()[0]
    first, second = [
        row[0]
        for row in con.execute(
            "select event_id from raw_events"
            f" where not coalesce({is_new['raw_events']}, false) and event_id is not null"
            f" order by {day_of('event_time')}, event_id limit 2"
        ).fetchall()
    ]
    login = (
        f"(select * replace ('first-login-' || event_id as event_id, {quote_literal(f'{new_day}T12:00:00Z')}"
        f" as event_time, {quote_literal(user)} as user_id, 'login' as event_type) from raw_events"
        f" where anonymous_id = {quote_literal(device)} order by event_time desc limit 1)"
    )
    # an exact copy of an old event, and another old event sent again from another page (a key duplicate)
    copy = f"(select * from raw_events where event_id = {quote_literal(first)} limit 1)"
    resent = (
        f"(select * replace (coalesce(page_url, '') || '?again' as page_url) from raw_events"
        f" where event_id = {quote_literal(second)} limit 1)"
    )
    return f"{login} union all {copy} union all {resent}"


def _moved_user(con: duckdb.DuckDBPyConnection, is_new: dict[str, str]) -> str:
    """A user with events in the history whose registration arrives only with the new day."""
    return con.execute(
        f"select max(user_id) from raw_events where not coalesce({is_new['raw_events']}, false)"
        f" and user_id in ({_clean_users(is_new)})"
    ).fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw split-days", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", type=pathlib.Path, required=True, help="folder of raw_<relation> files")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--edge-cases", action="store_true", help="add the hard cases of an increment")
    args = parser.parse_args(argv)
    new_day = split(args.src, args.out, args.edge_cases)
    print(f"history before {new_day} in {args.out / 'history'}, the new day in {args.out / 'new_day'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
