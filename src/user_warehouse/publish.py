"""Publish the marts of a build that passed whole, for BI tools, atomically.

dbt builds into a working DuckDB file (DUCKDB_PATH). Publishing first reads
the build's run_results.json and refuses, naming the nodes, unless the last
dbt command was a build in which every node passed (warnings pass); then it
copies every relation of the marts schema into

    <out>/user_warehouse.duckdb   a DuckDB file with schema marts, opened read-only by BI tools
    <out>/parquet/<mart>.parquet  one Parquet file per mart, for tools that read files

The DuckDB file is written in the oldest storage format DuckDB still writes
(--storage-version, default v0.10.0), so the DuckDB 1.x (and 0.10) readers
that BI drivers bundle open it, not only DuckDB 2 (docs/bi.md).

Each is written beside its target and swapped in with one rename (the Parquet
folder through a symbolic link), so a reader sees the last publish or this
one, never a mix, and a reader holding the published file never blocks a
build: dbt only ever writes the working file. A publish killed before its
swap leaves its temporary copy; the next publish removes it.

    uw publish --db warehouse/user_warehouse.duckdb --out warehouse/published

On PostgreSQL (`--engine postgres`, libpq's env vars as in profiles.yml) dbt
builds the marts into schema marts_build, which no BI role may use. This
copies every relation of it into a new schema, with the descriptions and
the select grants dbt gave (the BI role, dbt_project.yml) and usage of the
schema for those roles, then swaps it in as schema `marts` in one
transaction: a BI query sees the last publish or this one, never a mix.
The schema it replaced is dropped when no reader holds it any more (at the
latest by the next publish).

    uw publish --engine postgres
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import sys
import time

import duckdb

from user_warehouse import project

PUBLISHED_FILE = "user_warehouse.duckdb"
PARQUET_LINK = "parquet"
# DuckDB 2 writes its own storage format by default, which no DuckDB before 2.0 reads; v0.10.0 is the oldest
# format it can write, holds every type the marts use, and every DuckDB since 0.10 reads it
STORAGE_VERSION = "v0.10.0"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mart_names(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'marts'"
        " order by table_name",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows]


def copy_comments(con: duckdb.DuckDBPyConnection, mart: str) -> None:
    """The descriptions dbt wrote as comments (persist_docs), so BI tools show them."""
    table = quote_identifier(mart)
    (comment,) = con.execute(
        "select comment from duckdb_tables() where database_name = 'work' and schema_name = 'marts' and table_name = ?",
        [mart],
    ).fetchone() or (None,)
    if comment is None:
        (comment,) = con.execute(
            "select comment from duckdb_views() where database_name = 'work'"
            " and schema_name = 'marts' and view_name = ?",
            [mart],
        ).fetchone() or (None,)
    if comment:
        con.execute(f"comment on table marts.{table} is {quote_literal(comment)}")
    columns = con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'work'"
        " and schema_name = 'marts' and table_name = ? and comment is not null",
        [mart],
    ).fetchall()
    for column, text in columns:
        con.execute(f"comment on column marts.{table}.{quote_identifier(column)} is {quote_literal(text)}")


# run_results statuses of a node that passed: models, seeds and snapshots succeed, tests pass or warn, exposures
# have nothing to run
PASSED = frozenset({"success", "pass", "warn", "no-op"})


def check_build_passed(run_results: pathlib.Path) -> int:
    """The number of nodes of the last dbt build, all passed; otherwise SystemExit naming what did not."""
    if not run_results.exists():
        raise SystemExit(
            f"uw publish: no build results at {run_results}: run the build first (uw build), or pass --run-results"
        )
    results = json.loads(run_results.read_text())
    command = results.get("args", {}).get("which")
    if command != "build":
        raise SystemExit(
            f"uw publish: the last dbt command in {run_results.parent} was '{command}', not a build: nothing published"
        )
    failed = [f"{r['unique_id']} ({r['status']})" for r in results["results"] if r["status"] not in PASSED]
    if failed:
        shown = "\n  ".join(failed[:20]) + (f"\n  ... and {len(failed) - 20} more" if len(failed) > 20 else "")
        raise SystemExit(
            f"uw publish: the last build did not pass whole ({len(failed)} of "
            f"{len(results['results'])} nodes failed or were skipped): nothing published\n  {shown}"
        )
    return len(results["results"])


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stamp_pid(name: str) -> int | None:
    """The process id in a publish's stamp (<ns>-<pid>) inside a file or folder name, or None."""
    match = re.search(r"\d+-(\d+)", name)
    return int(match.group(1)) if match else None


def clear_leftovers(out: pathlib.Path, keep: set[str]) -> list[str]:
    """Remove what publishes that are no longer running left in `out` (a publish killed before its swap leaves a
    hidden copy of the warehouse and a Parquet folder): every temporary file, and every Parquet folder but those
    named in `keep`. A publish still running keeps its own. Returns the names removed."""
    removed = []
    for path in sorted(out.iterdir()):
        temporary = path.name.startswith((f".{PUBLISHED_FILE}.", f".{PARQUET_LINK}.")) and ".tmp" in path.name
        folder = path.name.startswith(f"{PARQUET_LINK}-") and path.is_dir() and not path.is_symlink()
        if not (temporary or folder) or path.name in keep:
            continue
        pid = _stamp_pid(path.name)
        if pid is not None and pid != os.getpid() and _running(pid):
            continue
        if folder or path.is_dir():  # a Parquet folder, or what a killed publish spilled
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def publish(db: pathlib.Path, out: pathlib.Path, storage_version: str = STORAGE_VERSION) -> list[tuple[str, int]]:
    """Copy the marts of `db` into `out`, the DuckDB file in `storage_version`; return (mart, rows) per mart."""
    if not db.exists():
        raise SystemExit(f"no warehouse at {db}: run dbt build first")
    out.mkdir(parents=True, exist_ok=True)
    link_path = out / PARQUET_LINK
    replaced = os.readlink(link_path) if link_path.is_symlink() else None
    # what a killed publish left behind goes now, whatever this one does
    clear_leftovers(out, keep={replaced} if replaced else set())
    stamp = f"{time.time_ns()}-{os.getpid()}"
    staging_file = out / f".{PUBLISHED_FILE}.{stamp}.tmp"
    parquet_dir = out / f"parquet-{stamp}"
    parquet_dir.mkdir()
    counts: list[tuple[str, int]] = []
    try:
        # the published file is attached, not opened, so that its storage version can be chosen; what spills goes
        # beside it, as DuckDB does for a file it opens
        con = duckdb.connect()
        try:
            project.limit_duckdb(con)
            con.execute(f"set temp_directory = {quote_literal(str(staging_file) + '.tmp')}")
            try:
                con.execute(
                    f"attach {quote_literal(str(staging_file))} as published"
                    f" (storage_version {quote_literal(storage_version)})"
                )
            except duckdb.Error as error:
                raise SystemExit(f"storage version {storage_version!r}: {error}") from None
            con.execute("use published")
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
            con.execute("checkpoint published")
        finally:
            con.close()
        if not counts:
            raise SystemExit(f"{db} has no marts: nothing to publish")
        os.replace(staging_file, out / PUBLISHED_FILE)
        link = out / f".{PARQUET_LINK}.{stamp}.tmp"
        os.symlink(parquet_dir.name, link)
        os.replace(link, out / PARQUET_LINK)
    except BaseException:
        for leftover in (staging_file, staging_file.with_name(staging_file.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        shutil.rmtree(f"{staging_file}.tmp", ignore_errors=True)
        raise
    # Older Parquet folders: keep the one just replaced (a reader may be in it), drop the rest.
    clear_leftovers(out, keep={parquet_dir.name} | ({replaced} if replaced else set()))
    return counts


POSTGRES_BUILD_SCHEMA = "marts_build"
POSTGRES_PUBLISHED_SCHEMA = "marts"
RETIRED_PREFIX = "marts_retired_"


def publish_postgres() -> list[tuple[str, int]]:
    """Copy schema marts_build into a new schema and swap it in as marts; return (mart, rows) per mart."""
    from psycopg2 import sql

    from user_warehouse.engines import postgres_connection

    con = postgres_connection()
    stamp = f"{time.time_ns()}_{os.getpid()}"
    fresh, retired = f"marts_publishing_{stamp}", f"{RETIRED_PREFIX}{stamp}"
    counts: list[tuple[str, int]] = []
    try:
        with con.cursor() as cur:
            cur.execute(
                "select c.relname, c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                " where n.nspname = %s and c.relkind in ('r', 'v', 'm', 'p') order by c.relname",
                [POSTGRES_BUILD_SCHEMA],
            )
            relations = cur.fetchall()
            if not relations:
                raise SystemExit(f"schema {POSTGRES_BUILD_SCHEMA} has no marts: run dbt build --target postgres first")
            cur.execute(sql.SQL("create schema {}").format(sql.Identifier(fresh)))
            readers: set[str] = set()
            for name, oid in relations:
                target = sql.Identifier(fresh, name)
                cur.execute(
                    sql.SQL("create table {} as select * from {}").format(
                        target, sql.Identifier(POSTGRES_BUILD_SCHEMA, name)
                    )
                )
                cur.execute("select obj_description(%s, 'pg_class')", [oid])
                (comment,) = cur.fetchone()
                if comment:
                    cur.execute(sql.SQL("comment on table {} is {}").format(target, sql.Literal(comment)))
                cur.execute(
                    "select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a"
                    " where a.attrelid = %s and a.attnum > 0 and not a.attisdropped"
                    " and col_description(a.attrelid, a.attnum) is not null",
                    [oid],
                )
                for column, text in cur.fetchall():
                    cur.execute(
                        sql.SQL("comment on column {}.{} is {}").format(
                            target, sql.Identifier(column), sql.Literal(text)
                        )
                    )
                # the grants dbt gave on the built mart (dbt_project.yml), on its copy
                cur.execute(
                    "select grantee, privilege_type from information_schema.role_table_grants"
                    " where table_schema = %s and table_name = %s and grantee <> current_user"
                    " and privilege_type = 'SELECT'",
                    [POSTGRES_BUILD_SCHEMA, name],
                )
                for grantee, _ in cur.fetchall():
                    readers.add(grantee)
                    cur.execute(sql.SQL("grant select on {} to {}").format(target, sql.Identifier(grantee)))
                cur.execute(sql.SQL("select count(*) from {}").format(target))
                counts.append((name, cur.fetchone()[0]))
            for reader in sorted(readers):
                cur.execute(
                    sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(fresh), sql.Identifier(reader))
                )
        con.commit()
        # the swap: two renames in one transaction
        with con.cursor() as cur:
            cur.execute("select 1 from pg_namespace where nspname = %s", [POSTGRES_PUBLISHED_SCHEMA])
            if cur.fetchone():
                cur.execute(
                    sql.SQL("alter schema {} rename to {}").format(
                        sql.Identifier(POSTGRES_PUBLISHED_SCHEMA), sql.Identifier(retired)
                    )
                )
            cur.execute(
                sql.SQL("alter schema {} rename to {}").format(
                    sql.Identifier(fresh), sql.Identifier(POSTGRES_PUBLISHED_SCHEMA)
                )
            )
        con.commit()
    except BaseException:
        con.rollback()
        with con.cursor() as cur:
            cur.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(fresh)))
        con.commit()
        con.close()
        raise
    drop_retired_postgres(con)
    con.close()
    return counts


def drop_retired_postgres(con) -> list[str]:
    """Drop the schemas earlier publishes replaced; one a reader still holds stays for the next publish."""
    from psycopg2 import errors, sql

    dropped = []
    with con.cursor() as cur:
        cur.execute("select nspname from pg_namespace where nspname like %s order by nspname", [RETIRED_PREFIX + "%"])
        names = [name for (name,) in cur.fetchall()]
    con.commit()
    for name in names:
        try:
            with con.cursor() as cur:
                cur.execute("set local lock_timeout = '2s'")
                cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(name)))
            con.commit()
            dropped.append(name)
        except errors.LockNotAvailable:
            con.rollback()
    return dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw publish", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument("--db", type=pathlib.Path, default=project.duckdb_path(), help="the working DuckDB file")
    parser.add_argument("--out", type=pathlib.Path, default=project.publish_dir(), help="where BI tools read")
    parser.add_argument(
        "--storage-version",
        default=STORAGE_VERSION,
        help=f"DuckDB storage format of the published file (default {STORAGE_VERSION}: DuckDB 0.10 and later read it;"
        " v2.0.0 only DuckDB 2)",
    )
    parser.add_argument(
        "--run-results",
        type=pathlib.Path,
        default=project.target_path() / "run_results.json",
        help="the build's run_results.json (default: dbt's target folder)",
    )
    args = parser.parse_args(argv)
    nodes = check_build_passed(args.run_results)
    if args.engine == "postgres":
        counts = publish_postgres()
        print(
            f"published {len(counts)} marts to PostgreSQL schema {POSTGRES_PUBLISHED_SCHEMA}"
            f" (the build's {nodes} nodes passed)"
        )
        return 0
    counts = publish(args.db.resolve(), args.out.resolve(), args.storage_version)
    print(
        f"published {len(counts)} marts to {args.out / PUBLISHED_FILE} and {args.out / PARQUET_LINK}/"
        f" (the build's {nodes} nodes passed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
