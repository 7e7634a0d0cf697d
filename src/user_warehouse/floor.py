"""The hand-written floor: the heaviest work of a full build, written by hand in DuckDB.

What an expert would write for the same files with no dbt, no tests and no
checks beyond the essential ones: fold exact duplicate events, type and
keep the valid ones, sessionise per device, map devices to users, and build
per-user activity, valid orders, RFM scores and daily metrics. One process,
one connection, the same memory limit and threads as the warehouse's
profile. `uw benchmark` times it beside the dbt build on the same files, so
the build's overhead is stated against a floor measured in the same run
(docs/performance.md).

    python -m user_warehouse.floor RAW_PATH DB_PATH
"""

from __future__ import annotations

import pathlib
import sys
import time

import duckdb

from user_warehouse import project

# The defaults of the project's vars and seeds (session_timeout_minutes, max_users_per_device, the valid order
# statuses), written in: the floor is a yardstick for the benchmark's default build, not a second warehouse.
SESSION_TIMEOUT_MINUTES = 30

STEPS: list[tuple[str, str]] = [
    (
        "events",
        """
        create table events as
        with folded as (
            select distinct * from read_parquet({events})
        ),
        typed as (
            select
                nullif(trim(event_id), '') as event_id,
                try_cast(event_time as timestamp) as event_time,
                nullif(trim(anonymous_id), '') as anonymous_id,
                nullif(trim(user_id), '') as user_id,
                lower(trim(event_type)) as event_type,
                page_url, referrer, lower(utm_source) as utm_source, lower(utm_medium) as utm_medium,
                utm_campaign, lower(trim(device_type)) as device_type, lower(trim(platform)) as platform,
                search_term, nullif(trim(product_id), '') as product_id, category
            from folded
        ),
        duplicate_keys as (
            select event_id from typed where event_id is not null group by event_id having count(*) > 1
        )
        select *
        from typed
        where
            event_id is not null
            and anonymous_id is not null
            and event_time is not null
            and event_id not in (select event_id from duplicate_keys)
        """,
    ),
    (
        "sessions",
        f"""
        create table device_events as
        with narrow as (
            select event_id, anonymous_id, event_time, event_type, utm_source from events
        ),
        gaps as (
            select
                *,
                case
                    when lag(event_time) over device is null
                        or lag(event_time) over device + interval {SESSION_TIMEOUT_MINUTES} minute < event_time
                        then 1 else 0
                end as is_start
            from narrow
            window device as (partition by anonymous_id order by event_time, event_id)
        )
        select
            *,
            anonymous_id || '-' || sum(is_start) over (
                partition by anonymous_id order by event_time, event_id rows unbounded preceding
            ) as session_id
        from gaps
        """,
    ),
    (
        "identity",
        """
        create table identity_map as
        select anonymous_id, arg_max(user_id, (event_time, event_id)) as user_id
        from events
        where user_id is not null
        group by anonymous_id
        having count(distinct user_id) <= 5
        """,
    ),
    (
        "session table",
        """
        create table sessions as
        select
            device_events.session_id,
            any_value(device_events.anonymous_id) as anonymous_id,
            any_value(identity_map.user_id) as user_id,
            min(device_events.event_time) as started_at,
            max(device_events.event_time) as ended_at,
            count(*) as events,
            count(*) filter (where device_events.event_type = 'page_view') as page_views,
            arg_min(device_events.utm_source, device_events.event_time) as utm_source
        from device_events
        left join identity_map on device_events.anonymous_id = identity_map.anonymous_id
        group by device_events.session_id
        """,
    ),
    (
        "person days",
        """
        create table person_event_days as
        select
            coalesce(identity_map.user_id, 'anon:' || events.anonymous_id) as person_id,
            cast(events.event_time as date) as activity_date,
            events.event_type,
            count(*) as events
        from events
        left join identity_map on events.anonymous_id = identity_map.anonymous_id
        group by all
        """,
    ),
    (
        "orders",
        """
        create table orders as
        select
            trim(order_id) as order_id,
            trim(user_id) as user_id,
            try_cast(ordered_at as timestamp) as ordered_at,
            lower(trim(status)) as status,
            try_cast(amount as decimal(18, 2)) as amount
        from (select distinct * from read_parquet({orders}))
        where
            nullif(trim(order_id), '') is not null
            and try_cast(ordered_at as timestamp) is not null
            and try_cast(amount as decimal(18, 2)) is not null
        qualify count(*) over (partition by trim(order_id)) = 1
        """,
    ),
    (
        "users",
        """
        create table users as
        with activity as (
            select
                person_id,
                min(activity_date) as first_active,
                max(activity_date) as last_active,
                count(distinct activity_date) as active_days,
                sum(events) as events
            from person_event_days
            group by person_id
        ),
        purchases as (
            select
                user_id,
                count(*) as orders,
                sum(amount) as revenue,
                max(ordered_at) as last_order_at
            from orders
            where status in ('paid', 'completed')
            group by user_id
        ),
        session_counts as (
            select user_id, count(*) as sessions from sessions where user_id is not null group by user_id
        )
        select
            registered.user_id,
            registered.registered_at,
            activity.first_active,
            activity.last_active,
            activity.active_days,
            activity.events,
            session_counts.sessions,
            purchases.orders,
            purchases.revenue,
            purchases.last_order_at
        from (
            select trim(user_id) as user_id, min(try_cast(registered_at as timestamp)) as registered_at
            from read_parquet({users})
            where nullif(trim(user_id), '') is not null
            group by all
        ) as registered
        left join activity on registered.user_id = activity.person_id
        left join purchases on registered.user_id = purchases.user_id
        left join session_counts on registered.user_id = session_counts.user_id
        """,
    ),
    (
        "rfm",
        """
        create table rfm as
        select
            user_id,
            least(5, 1 + floor(5 * percent_rank() over (order by last_order_at))) as r,
            least(5, 1 + floor(5 * percent_rank() over (order by orders))) as f,
            least(5, 1 + floor(5 * percent_rank() over (order by revenue))) as m
        from users
        where orders > 0
        """,
    ),
    (
        "daily metrics",
        """
        create table metrics_daily as
        with active as (
            select activity_date, count(distinct person_id) as active_people, sum(events) as events
            from person_event_days
            group by activity_date
        ),
        sold as (
            select cast(ordered_at as date) as activity_date, count(*) as orders, sum(amount) as revenue
            from orders
            where status in ('paid', 'completed')
            group by all
        )
        select active.*, sold.orders, sold.revenue
        from active
        left join sold on active.activity_date = sold.activity_date
        """,
    ),
]


def _files(raw: pathlib.Path, relation: str) -> str:
    """A read_parquet list literal: the relation's single file or its folder of parts."""
    single = raw / f"{relation}.parquet"
    files = [single] if single.exists() else sorted((raw / relation).glob("*.parquet"))
    if not files:
        raise SystemExit(f"floor: no Parquet files for {relation} in {raw}")
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def run(raw: pathlib.Path, db: pathlib.Path) -> dict[str, float]:
    """Build the floor's tables into db from the Parquet files in raw; return seconds per step."""
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    project.limit_duckdb(con)
    con.execute("set preserve_insertion_order = false")
    paths = {name: _files(raw, f"raw_{name}") for name in ("events", "orders", "users")}
    seconds = {}
    for name, sql in STEPS:
        start = time.perf_counter()
        con.execute(sql.format(**paths))
        seconds[name] = time.perf_counter() - start
    con.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit(__doc__)
    for name, took in run(pathlib.Path(args[0]), pathlib.Path(args[1])).items():
        print(f"{name}: {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
