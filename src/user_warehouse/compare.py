"""Compare every mart of two DuckDB warehouses: row count and a content hash.

The hash is taken over each row's values, numbers rounded to 6 decimal
places and timestamps as UTC text, summed over rows, so it does not depend
on row order. Two builds that should give the same marts (an incremental
build and a full refresh of the same data) must print no difference.

    uw compare warehouse/a.duckdb warehouse/b.duckdb

Exit status 1 when a mart differs or is in one warehouse only.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import duckdb

MARTS_SCHEMA = "marts"
ROUND_TO = 6
# Marts that record the builds themselves (when each tag changed, from the
# snapshot's validity times; which builds advanced history), so two builds of
# the same data differ there.
BUILD_HISTORY_MARTS = frozenset({"user_tag_changes", "tag_history_builds"})


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _normalised(column: str, data_type: str) -> str:
    """A column as text that equal values share whatever engine or build wrote them."""
    quoted = quote_identifier(column)
    upper = data_type.upper()
    if upper.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC")):
        return f"cast(round(cast({quoted} as double), {ROUND_TO}) as varchar)"
    if upper.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"strftime(timezone('UTC', {quoted}), '%Y-%m-%d %H:%M:%S.%f')"
    return f"cast({quoted} as varchar)"


def mart_fingerprints(db_path: pathlib.Path, schema: str = MARTS_SCHEMA) -> dict[str, tuple[int, int]]:
    """{mart: (rows, content hash)} for every table and view in the schema."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        relations = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by table_name", [schema]
            ).fetchall()
        ]
        fingerprints = {}
        for relation in relations:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, relation],
            ).fetchall()
            row_text = ", ".join(f"coalesce({_normalised(name, kind)}, '\\N')" for name, kind in columns)
            rows, content = con.execute(
                f"select count(*), coalesce(sum(hash(concat_ws('|', {row_text}))), 0)"
                f" from {quote_identifier(schema)}.{quote_identifier(relation)}"
            ).fetchone()
            fingerprints[relation] = (int(rows), int(content))
    return fingerprints


def differences(left: dict[str, tuple[int, int]], right: dict[str, tuple[int, int]]) -> list[str]:
    """One line per mart that is missing on a side or differs in rows or content."""
    lines = []
    for mart in sorted(set(left) | set(right)):
        if mart not in left or mart not in right:
            lines.append(f"{mart}: only in {'the first' if mart in left else 'the second'} warehouse")
        elif left[mart] != right[mart]:
            (left_rows, _), (right_rows, _) = left[mart], right[mart]
            lines.append(
                f"{mart}: {left_rows} rows vs {right_rows} rows"
                + ("" if left_rows != right_rows else ", same count but different content")
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw compare", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("first", type=pathlib.Path)
    parser.add_argument("second", type=pathlib.Path)
    parser.add_argument("--schema", default=MARTS_SCHEMA)
    args = parser.parse_args(argv)
    left = mart_fingerprints(args.first, args.schema)
    right = mart_fingerprints(args.second, args.schema)
    lines = differences(left, right)
    for line in lines:
        print(line)
    print(f"{len(left)} marts compared, {len(lines)} differ")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
