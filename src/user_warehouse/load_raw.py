"""Load raw files into a server engine's tables, for `raw_source: warehouse`.

The raw relations (raw_users, raw_events, raw_orders, raw_order_items,
raw_feedback; docs/raw-contract.md) are read from a folder of Parquet or CSV files, one
per relation, as uw generate writes them, and stored as tables
of text columns in a schema (default `raw`, var raw_schema), replacing
tables of the same name. Staging parses and rejects; nothing is typed here.

    uw load-raw --engine postgres --source data/raw
    uw load-raw --engine spark --source data/raw
    dbt build --target postgres --vars '{raw_source: warehouse}'

PostgreSQL is reached with libpq's env vars (as profiles.yml), through COPY
from this process (the server needs no access to the files). Spark is opened
the way dbt opens it (profiles.yml's target spark, SPARK_WAREHOUSE) and
copies each file into a Parquet table of its warehouse.
"""

from __future__ import annotations

import argparse
import io
import pathlib
import sys
import time

import duckdb
import pyarrow.csv

from user_warehouse.engines import postgres_connection, spark_session

RAW_RELATIONS = ("raw_users", "raw_events", "raw_orders", "raw_order_items", "raw_feedback")
CHUNK_ROWS = 500_000


def raw_files(source: pathlib.Path) -> dict[str, pathlib.Path]:
    """{relation: file} for each raw relation found in source (.parquet before .csv)."""
    found = {}
    for name in RAW_RELATIONS:
        for suffix in (".parquet", ".csv"):
            if (source / f"{name}{suffix}").exists():
                found[name] = source / f"{name}{suffix}"
                break
    if "raw_users" not in found or "raw_events" not in found:
        raise SystemExit(f"{source}: raw_users and raw_events (.parquet or .csv) are required")
    return found


def _duckdb_reader(path: pathlib.Path) -> str:
    literal = "'" + str(path).replace("'", "''") + "'"
    if path.suffix == ".parquet":
        return f"read_parquet({literal})"
    return f"read_csv({literal}, header = true, all_varchar = true)"


def load_postgres(files: dict[str, pathlib.Path], schema: str) -> dict[str, int]:
    from psycopg2 import sql

    counts = {}
    con = postgres_connection()
    try:
        with con.cursor() as cur:
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        for name, path in files.items():
            reader = duckdb.sql(f"select * from {_duckdb_reader(path)}")
            columns = reader.columns
            table = sql.Identifier(schema, name)
            with con.cursor() as cur:
                cur.execute(sql.SQL("drop table if exists {}").format(table))
                cur.execute(
                    sql.SQL("create table {} ({})").format(
                        table,
                        sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(column)) for column in columns),
                    )
                )
                copy = sql.SQL("copy {} from stdin with (format csv, header false)").format(table)
                text_columns = ", ".join(f'cast("{column}" as varchar)' for column in columns)
                batches = duckdb.sql(f"select {text_columns} from {_duckdb_reader(path)}").to_arrow_reader(CHUNK_ROWS)
                for batch in batches:
                    # Arrow writes a null unquoted and empty text as "": COPY keeps them apart
                    buffer = io.BytesIO()
                    pyarrow.csv.write_csv(batch, buffer, pyarrow.csv.WriteOptions(include_header=False))
                    buffer.seek(0)
                    cur.copy_expert(copy.as_string(con), buffer)
                cur.execute(sql.SQL("select count(*) from {}").format(table))
                counts[name] = cur.fetchone()[0]
            con.commit()
    finally:
        con.close()
    return counts


def load_spark(files: dict[str, pathlib.Path], schema: str) -> dict[str, int]:
    spark = spark_session()
    spark.sql(f"create schema if not exists `{schema}`")
    counts = {}
    for name, path in files.items():
        if path.suffix == ".parquet":
            frame = spark.read.parquet(str(path.resolve()))
        else:
            frame = spark.read.option("header", "true").csv(str(path.resolve()))
        frame = frame.select(*[frame[column].cast("string").alias(column) for column in frame.columns])
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"`{schema}`.`{name}`")
        counts[name] = spark.table(f"`{schema}`.`{name}`").count()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw load-raw", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["postgres", "spark"], required=True)
    parser.add_argument("--source", type=pathlib.Path, required=True, help="folder of raw_*.parquet or .csv")
    parser.add_argument("--schema", default="raw", help="schema of the raw tables (var raw_schema)")
    args = parser.parse_args(argv)
    files = raw_files(args.source)
    started = time.monotonic()
    counts = (load_postgres if args.engine == "postgres" else load_spark)(files, args.schema)
    for name, rows in counts.items():
        print(f"{args.schema}.{name}: {rows:,} rows")
    print(f"loaded {len(counts)} raw tables into {args.engine} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
