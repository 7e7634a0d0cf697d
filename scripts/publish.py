#!/usr/bin/env python3
"""Publish the marts of a finished build for BI tools, atomically.

dbt builds into a working DuckDB file (DUCKDB_PATH). Run this only after
`dbt build` succeeded (the Makefile does): it copies every relation of the
marts schema into

    <out>/user_warehouse.duckdb   a DuckDB file with schema marts, opened read-only by BI tools
    <out>/parquet/<mart>.parquet  one Parquet file per mart, for tools that read files

Each is written beside its target and swapped in with one rename (the Parquet
folder through a symbolic link), so a reader sees the last publish or this
one, never a mix, and a reader holding the published file never blocks a
build: dbt only ever writes the working file.

    python scripts/publish.py --db warehouse/user_warehouse.duckdb --out warehouse/published
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys
import time

import duckdb

PUBLISHED_FILE = "user_warehouse.duckdb"
PARQUET_LINK = "parquet"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mart_names(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'marts'"
        " order by table_name", [catalog]).fetchall()
    return [name for (name,) in rows]


def copy_comments(con: duckdb.DuckDBPyConnection, mart: str) -> None:
    """The descriptions dbt wrote as comments (persist_docs), so BI tools show them."""
    table = quote_identifier(mart)
    (comment,) = con.execute("select comment from duckdb_tables() where database_name = 'work'"
                             " and schema_name = 'marts' and table_name = ?", [mart]).fetchone() or (None,)
    if comment is None:
        (comment,) = con.execute("select comment from duckdb_views() where database_name = 'work'"
                                 " and schema_name = 'marts' and view_name = ?", [mart]).fetchone() or (None,)
    if comment:
        con.execute(f"comment on table marts.{table} is {quote_literal(comment)}")
    columns = con.execute("select column_name, comment from duckdb_columns() where database_name = 'work'"
                          " and schema_name = 'marts' and table_name = ? and comment is not null", [mart]).fetchall()
    for column, text in columns:
        con.execute(f"comment on column marts.{table}.{quote_identifier(column)} is {quote_literal(text)}")


def publish(db: pathlib.Path, out: pathlib.Path) -> list[tuple[str, int]]:
    """Copy the marts of `db` into `out`; return (mart, rows) per mart."""
    if not db.exists():
        raise SystemExit(f"no warehouse at {db}: run dbt build first")
    out.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.time_ns()}-{os.getpid()}"
    staging_file = out / f".{PUBLISHED_FILE}.{stamp}.tmp"
    parquet_dir = out / f"parquet-{stamp}"
    parquet_dir.mkdir()
    counts: list[tuple[str, int]] = []
    try:
        con = duckdb.connect(str(staging_file))
        try:
            con.execute(f"attach {quote_literal(str(db))} as work (read_only)")
            con.execute("create schema marts")
            for mart in mart_names(con, "work"):
                source = f"work.marts.{quote_identifier(mart)}"
                con.execute(f"create table marts.{quote_identifier(mart)} as select * from {source}")
                copy_comments(con, mart)
                target = parquet_dir / f"{mart}.parquet"
                con.execute(f"copy marts.{quote_identifier(mart)} to {quote_literal(str(target))} (format parquet)")
                counts.append((mart, con.execute(f"select count(*) from marts.{quote_identifier(mart)}").fetchone()[0]))
            con.execute("detach work")
            con.execute("checkpoint")
        finally:
            con.close()
        if not counts:
            raise SystemExit(f"{db} has no marts: nothing to publish")
        os.replace(staging_file, out / PUBLISHED_FILE)
        link = out / f".{PARQUET_LINK}.{stamp}.tmp"
        os.symlink(parquet_dir.name, link)
        os.replace(link, out / PARQUET_LINK)
    except BaseException:
        staging_file.unlink(missing_ok=True)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        raise
    # Older Parquet folders: keep the one just replaced (a reader may be in it), drop the rest.
    folders = sorted(p for p in out.glob("parquet-*") if p.is_dir() and p != parquet_dir)
    for old in folders[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=pathlib.Path,
                        default=pathlib.Path(os.environ.get("DUCKDB_PATH", "warehouse/user_warehouse.duckdb")))
    parser.add_argument("--out", type=pathlib.Path,
                        default=pathlib.Path(os.environ.get("PUBLISH_DIR", "warehouse/published")))
    args = parser.parse_args(argv)
    counts = publish(args.db.resolve(), args.out.resolve())
    print(f"published {len(counts)} marts to {args.out / PUBLISHED_FILE} and {args.out / PARQUET_LINK}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
