"""Is the published data fresh? The newest staged row of each raw relation against how old it may be.

The build never reads the clock (the same input gives the same marts on any
day), so staleness is judged here, after publishing, for a scheduler to
alert on: each raw relation's newest staged row (data_quality_staging's
newest_data_at, in the published marts) is held against var
max_data_age_days of dbt_project.yml (days, per relation). A relation with
no staged row is stale. Exit status 1 when any relation is stale, 0 when
all are fresh (docs/operations.md#freshness).

    uw freshness                                   # the published DuckDB file
    uw freshness --engine postgres                 # schema marts on PostgreSQL
    uw freshness --at 2024-07-01T06:00:00          # as if the clock read that time (UTC)
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

from user_warehouse import project
from user_warehouse.publish import PUBLISHED_FILE

QUERY = "select relation, newest_data_at from marts.data_quality_staging order by relation"


def allowed_ages(dbt_vars: dict) -> dict[str, float]:
    """var max_data_age_days, checked: a positive number of days for each raw relation."""
    ages = dbt_vars.get("max_data_age_days")
    if not isinstance(ages, dict) or not ages:
        raise SystemExit(f"var max_data_age_days is {ages!r}: it must map each raw relation to a number of days")
    wrong = {name: days for name, days in ages.items() if isinstance(days, bool) or not isinstance(days, int | float)}
    wrong |= {name: days for name, days in ages.items() if name not in wrong and days <= 0}
    if wrong:
        raise SystemExit(f"var max_data_age_days: {wrong} must be positive numbers of days")
    return {name: float(days) for name, days in ages.items()}


def newest_rows(engine: str, db: pathlib.Path) -> list[tuple[str, dt.datetime | None]]:
    if engine == "postgres":
        from user_warehouse.engines import postgres_connection

        with postgres_connection() as con, con.cursor() as cursor:
            cursor.execute(QUERY)
            return cursor.fetchall()
    import duckdb

    if not db.exists():
        raise SystemExit(f"no published warehouse at {db}: run uw build (or uw publish) first")
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(QUERY).fetchall()


def judge(
    newest: list[tuple[str, dt.datetime | None]], allowed: dict[str, float], at: dt.datetime
) -> list[tuple[str, dt.datetime | None, float | None, float, bool]]:
    """(relation, newest data, age in days, allowed days, stale) per relation the data and the var both name."""
    unknown = sorted(set(allowed) - {relation for relation, _ in newest})
    if unknown:
        raise SystemExit(f"var max_data_age_days names {unknown}, which the published marts do not hold")
    undeclared = sorted({relation for relation, _ in newest} - set(allowed))
    if undeclared:
        raise SystemExit(f"var max_data_age_days declares no age for {undeclared}: give each raw relation one")
    judged = []
    for relation, newest_at in newest:
        age = None if newest_at is None else (at - newest_at).total_seconds() / 86400
        judged.append((relation, newest_at, age, allowed[relation], age is None or age > allowed[relation]))
    return judged


def stale(judged: list[tuple]) -> list[str]:
    """The relations judge() found stale."""
    return [relation for relation, *_, is_stale in judged if is_stale]


def check(engine: str, db: pathlib.Path, at: dt.datetime) -> list[tuple]:
    """judge() of the published marts at `at` against dbt_project.yml's max_data_age_days."""
    return judge(newest_rows(engine, db), allowed_ages(project.dbt_vars()), at)


def clock() -> dt.datetime:
    """The time now, UTC, as the marts store times (without a zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw freshness", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument(
        "--db",
        type=pathlib.Path,
        default=project.publish_dir() / PUBLISHED_FILE,
        help="the published DuckDB file (default: $PUBLISH_DIR's)",
    )
    parser.add_argument(
        "--at",
        type=dt.datetime.fromisoformat,
        help="judge as if the clock read this UTC time (default: the clock)",
    )
    args = parser.parse_args(argv)
    at = args.at or clock()
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    judged = check(args.engine, args.db, at)
    print(f"{'relation':<16} {'newest data (UTC)':<20} {'age (days)':>10} {'allowed':>8}  status")
    for relation, newest_at, age, allowed, is_stale in judged:
        shown = "none staged" if newest_at is None else newest_at.strftime("%Y-%m-%d %H:%M:%S")
        aged = "" if age is None else f"{age:.1f}"
        print(f"{relation:<16} {shown:<20} {aged:>10} {allowed:>8g}  {'STALE' if is_stale else 'fresh'}")
    at_text = at.strftime("%Y-%m-%d %H:%M:%S")
    stale_relations = stale(judged)
    if stale_relations:
        print(f"stale at {at_text} UTC: {', '.join(stale_relations)} (var max_data_age_days)")
        return 1
    print(f"all {len(judged)} raw relations fresh at {at_text} UTC")
    return 0


if __name__ == "__main__":
    sys.exit(main())
