"""Compare every mart built on PostgreSQL or Spark with the same mart built on DuckDB.

Both warehouses must have been built from the same raw data (the demo
seeds, or the same files). Each mart is read whole, every value written as
text the same way whatever engine produced it (numbers rounded to 6 decimal
places, timestamps in UTC, dates ISO), and compared by row count and an
order-independent content hash (the sum of each row's SHA-256 prefix).
Marts that record the builds themselves (BUILD_HISTORY_MARTS) are left out.

    uw compare-engines --duckdb warehouse/user_warehouse.duckdb
    uw compare-engines --duckdb warehouse/user_warehouse.duckdb --engine spark

PostgreSQL is reached with libpq's env vars (PGHOST, PGPORT, PGUSER,
PGPASSWORD, PGDATABASE), with the defaults of profiles.yml. Spark is opened
the way dbt opens it (profiles.yml's target spark, SPARK_WAREHOUSE): dbt
starts the session in this process and the script reads from it. Prints one
line per mart that differs and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import hashlib
import os
import pathlib
import sys
import time
from collections.abc import Iterable

import duckdb

from user_warehouse.compare import BUILD_HISTORY_MARTS, MARTS_SCHEMA, ROUND_TO, differences
from user_warehouse.engines import postgres_connection, spark_session


def value_text(value: object) -> str:
    """One value as text that equal values share whatever engine wrote them."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, decimal.Decimal)):
        text = f"{float(value):.{ROUND_TO}f}"
        return "0." + "0" * ROUND_TO if text == "-0." + "0" * ROUND_TO else text
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fingerprint(rows: Iterable[tuple]) -> tuple[int, int]:
    """(row count, content hash) of rows, independent of their order."""
    count, total = 0, 0
    for row in rows:
        digest = hashlib.sha256("|".join(value_text(v) for v in row).encode()).digest()
        total = (total + int.from_bytes(digest[:8], "big")) % 2**64
        count += 1
    return count, total


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(schema: str, relation: str, columns: list[str]) -> str:
    return f"select {', '.join(map(_quoted, columns))} from {_quoted(schema)}.{_quoted(relation)}"


def duckdb_marts(path: pathlib.Path, schema: str = MARTS_SCHEMA) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return _fingerprints(con, schema, "?")


def postgres_marts(schema: str = MARTS_SCHEMA) -> dict[str, tuple[int, int]]:
    with postgres_connection() as con:
        return _fingerprints(con.cursor(), schema, "%s")


def spark_marts(schema: str = MARTS_SCHEMA) -> dict[str, tuple[int, int]]:
    """{mart: (rows, hash)} from the Spark warehouse of profiles.yml's target spark."""
    os.environ["TZ"] = "UTC"  # pyspark hands timestamps over in the process's zone
    time.tzset()
    spark = spark_session()
    if not spark.catalog.databaseExists(schema):
        raise SystemExit(f"Spark's metastore has no schema {schema}: build it first (dbt build --target spark)")
    result = {}
    for table in spark.catalog.listTables(schema):
        names = sorted(column.name for column in spark.catalog.listColumns(table.name, schema))
        rows = spark.sql(
            "select " + ", ".join(f"`{name}`" for name in names) + f" from `{schema}`.`{table.name}`"
        ).collect()
        result[table.name] = fingerprint(tuple(row) for row in rows)
    return result


def _fingerprints(cursor, schema: str, marker: str) -> dict[str, tuple[int, int]]:
    """{mart: (rows, hash)} for every table and view of the schema (columns by name)."""
    cursor.execute(
        "select table_name, column_name from information_schema.columns"
        f" where table_schema = {marker} order by table_name, column_name",
        [schema],
    )
    columns: dict[str, list[str]] = {}
    for relation, column in cursor.fetchall():
        columns.setdefault(relation, []).append(column)
    result = {}
    for relation, names in columns.items():
        cursor.execute(_select(schema, relation, names))
        result[relation] = fingerprint(cursor.fetchall())
    return result


def engine_differences(duck: dict[str, tuple[int, int]], other: dict[str, tuple[int, int]]) -> list[str]:
    """differences() between DuckDB's marts and another engine's, without the marts that record the builds."""
    left = {m: v for m, v in duck.items() if m not in BUILD_HISTORY_MARTS}
    right = {m: v for m, v in other.items() if m not in BUILD_HISTORY_MARTS}
    return differences(left, right)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw compare-engines", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duckdb", type=pathlib.Path, required=True, help="the DuckDB warehouse file")
    parser.add_argument("--engine", choices=["postgres", "spark"], default="postgres")
    parser.add_argument("--schema", default=MARTS_SCHEMA)
    args = parser.parse_args(argv)
    duck = duckdb_marts(args.duckdb, args.schema)
    other = postgres_marts(args.schema) if args.engine == "postgres" else spark_marts(args.schema)
    lines = engine_differences(duck, other)  # first: DuckDB, second: the other engine
    for line in lines:
        print(line)
    print(
        f"{len(duck)} marts on DuckDB, {len(other)} on {args.engine}: "
        + ("equal" if not lines else f"{len(lines)} differ")
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
