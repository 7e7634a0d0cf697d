"""Export each audience (docs/audiences.md) for a CRM upload: one CSV and one Parquet file per audience, read from the
published marts, holding user_id, the hashed and masked contact columns of dim_users and the reason (the tags
that put the user there) — never an email address or a phone number in clear. Beside them, `recommendations`: each
registered person's product list of user_recommendations (docs/recommendations.md), with the same contact columns.

Files are written beside each other in a new folder, then swapped in whole with one rename, like publish.py.

    uw export [--db warehouse/published/user_warehouse.duckdb] [--out warehouse/audiences]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys
import time

import duckdb

from user_warehouse import project
from user_warehouse.publish import quote_literal

ROOT = project.root()
PUBLISHED = project.publish_dir()
# What a CRM upload may hold: the key, contact only as salted hashes and masks (docs/rules/user-profile.md),
# and the reason.
EXPORT_COLUMNS = ["audience_id", "user_id", "email_hash", "email_masked", "phone_hash", "phone_masked", "matched_tags"]
CONTACT = "users.email_hash, users.email_masked, users.phone_hash, users.phone_masked"
RECOMMENDATIONS = "recommendations"
# anonymous persons have no contact to send to: the list of registered ones, best first
RECOMMENDED = (
    f"select users.user_id, {CONTACT}, lists.rank, lists.product_id, lists.category, lists.reason, "
    "lists.because_product_id "
    "from marts.user_recommendations as lists "
    "inner join marts.dim_users as users on lists.person_id = users.user_id "
    "order by users.user_id, lists.rank"
)


def _write(con: duckdb.DuckDBPyConnection, query: str, stem: pathlib.Path) -> int:
    # DuckDB writes both files itself: the export needs neither pandas nor pyarrow. The query runs once; the CSV
    # and the count are read from the Parquet file, in its order.
    parquet = quote_literal(str(stem) + ".parquet")
    con.execute(f"copy ({query}) to {parquet} (format parquet)")
    con.execute(f"copy (select * from read_parquet({parquet})) to {quote_literal(str(stem) + '.csv')} (header true)")
    return con.execute(f"select count(*) from read_parquet({parquet})").fetchone()[0]


def export(db: pathlib.Path, out: pathlib.Path) -> dict[str, int]:
    """Members written per audience (every audience of audience_sizes, empty ones too)."""
    staging = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    written = {}
    with duckdb.connect(str(db), read_only=True) as con:
        project.limit_duckdb(con)
        audiences = [
            row[0]
            for row in con.execute("select audience_id from marts.audience_sizes order by audience_id").fetchall()
        ]
        if RECOMMENDATIONS in audiences:
            raise SystemExit(f"uw export: audience id '{RECOMMENDATIONS}' is the recommendations file's name")
        for audience_id in audiences:
            members = (
                f"select members.audience_id, members.user_id, {CONTACT}, members.matched_tags "
                "from marts.audience_members as members "
                "inner join marts.dim_users as users on members.user_id = users.user_id "
                f"where members.audience_id = {quote_literal(audience_id)} order by members.user_id"
            )
            columns = [d[0] for d in con.execute(f"{members} limit 0").description]
            assert columns == EXPORT_COLUMNS, columns
            written[audience_id] = _write(con, members, staging / audience_id)
        written[RECOMMENDATIONS] = _write(con, RECOMMENDED, staging / RECOMMENDATIONS)
    retired = out.with_name(f".{out.name}.{os.getpid()}.old")
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw export", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=pathlib.Path, default=PUBLISHED / "user_warehouse.duckdb", help="the published marts (DuckDB file)"
    )
    parser.add_argument("--out", type=pathlib.Path, default=PUBLISHED.parent / "audiences")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no published marts at {args.db}: run `make build` first or pass --db")
    start = time.perf_counter()
    written = export(args.db, args.out)
    lists = written.pop(RECOMMENDATIONS)
    for audience_id, members in written.items():
        print(f"{audience_id:<32}{members:>10,} members")
    print(f"{RECOMMENDATIONS:<32}{lists:>10,} rows (registered persons' product lists)")
    print(
        f"exported {len(written)} audiences and the recommendations to {args.out} "
        f"(CSV and Parquet, {time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
