"""Offline evaluation of the recommendations (docs/recommendations.md#evaluation).

Builds the warehouse at a cutoff as_of_date into a DuckDB file of its own, then
scores each method against what each person bought for the first time after the
cutoff: user_recommendations as the warehouse makes them, beside two baselines
on the same split and the same history, recent popularity and implicit's ALS.

    uw evaluate-recommendations --cutoff 2024-03-31
    uw evaluate-recommendations --cutoff 2010-12-19 --vars '{raw_source: files, raw_path: data/retail}'

Evaluated persons: those with product history up to the cutoff and at least
one valid order line after it of a product they had not bought by then. Per
person, hits are the recommended products among those; hit rate is the share
of persons with a hit, recall the mean of hits / their new products, precision
the mean of hits / k; coverage is the share of products with history up to the
cutoff that any evaluated person was recommended.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

import duckdb
import numpy as np
import pandas as pd
import yaml

from user_warehouse import project

K = 10
# ALS, as implicit's defaults suggest for data of this size; fixed seed and one thread: same input, same output
ALS_SETTINGS = {"factors": 64, "regularization": 0.05, "iterations": 15, "random_state": 1}


BUILT = ["+user_recommendations", "stg_orders", "stg_order_items"]


def build_at_cutoff(
    cutoff: str | None, vars_yaml: str | None, db: pathlib.Path, target: pathlib.Path, select: list[str] = BUILT
) -> None:
    """dbt build of `select` (by default the recommendations and what they read) at as_of_date = cutoff (None: the
    as_of_date the vars give, by default the data's last day)."""
    given = (yaml.safe_load(vars_yaml) if vars_yaml else None) or {}
    dbt_vars = {**given, **({"as_of_date": cutoff} if cutoff else {})}
    env = {**os.environ, "DUCKDB_PATH": str(db)}
    env.setdefault("PII_SALT", "evaluation-salt-not-used-for-contact")
    dbt = pathlib.Path(sys.executable).with_name("dbt")
    command = [str(dbt), "build", "--quiet", "--select", *select]
    # cautious: the tests whose every parent is built, not those that also read models left out
    command += ["--indirect-selection", "cautious", "--vars", yaml.safe_dump(dbt_vars)]
    command += ["--target-path", str(target), "--log-path", str(target / "logs")]
    done = subprocess.run(command, cwd=project.root(), env=env)
    if done.returncode:
        raise SystemExit(f"uw evaluate: the build at as_of_date {cutoff or '(the data)'} failed (dbt's output above)")


def new_purchases(con: duckdb.DuckDBPyConnection, cutoff: str, zone: str) -> dict[str, set[str]]:
    """Per person, the products of valid order lines after the cutoff they had not bought by then."""
    lines = con.sql(
        """
        select orders.user_id as person_id, items.product_id, orders.ordered_at
        from staging.stg_orders as orders
        inner join staging.stg_order_items as items on orders.order_id = items.order_id
        where orders.is_valid
        """
    ).df()
    day = pd.to_datetime(lines["ordered_at"], utc=True).dt.tz_convert(zone).dt.date
    after = lines[day > pd.Timestamp(cutoff).date()]
    bought = con.sql("select person_id, product_id from intermediate.int_person_product_signals where is_bought").df()
    known = set(con.sql("select distinct person_id from intermediate.int_person_product_signals").df()["person_id"])
    new = after[after["person_id"].isin(known)].merge(bought, how="left", indicator=True)
    new = new[new["_merge"] == "left_only"]
    return {person: set(group["product_id"]) for person, group in new.groupby("person_id")}


def warehouse_lists(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    ranked = con.sql("select person_id, product_id from marts.user_recommendations order by person_id, rank").df()
    return {person: list(group["product_id"]) for person, group in ranked.groupby("person_id", sort=False)}


def popularity_lists(con: duckdb.DuckDBPyConnection, persons: list[str]) -> dict[str, list[str]]:
    """The products most bought in the recent days (the warehouse's own count), minus what each person bought."""
    top = con.sql(
        "select product_id from intermediate.int_recommendation_products"
        " where popularity_rank is not null order by popularity_rank"
    ).df()["product_id"]
    bought = _bought(con)
    return {person: [p for p in top if p not in bought.get(person, ())][:K] for person in persons}


def als_lists(con: duckdb.DuckDBPyConnection, persons: list[str]) -> dict[str, list[str]]:
    """implicit's ALS on the same affinities (person × product), minus what each person bought."""
    from implicit.als import AlternatingLeastSquares
    from scipy import sparse
    from threadpoolctl import threadpool_limits

    history = con.sql(
        "select person_id, product_id, cast(affinity as double) as affinity"
        " from intermediate.int_person_product_signals order by person_id, product_id"
    ).df()
    person_index = {p: i for i, p in enumerate(history["person_id"].unique())}
    products = history["product_id"].unique()
    product_index = {p: i for i, p in enumerate(products)}
    matrix = sparse.csr_matrix(
        (
            history["affinity"].to_numpy(),
            (history["person_id"].map(person_index).to_numpy(), history["product_id"].map(product_index).to_numpy()),
        ),
        shape=(len(person_index), len(products)),
    )
    bought = _bought(con)
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(**ALS_SETTINGS, num_threads=1)
        model.fit(matrix, show_progress=False)
        rows = np.array([person_index[p] for p in persons])
        ids, _ = model.recommend(rows, matrix[rows], N=K + 100, filter_already_liked_items=False)
    return {
        person: [products[i] for i in row if i >= 0 and products[i] not in bought.get(person, ())][:K]
        for person, row in zip(persons, ids, strict=True)
    }


def _bought(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    frame = con.sql("select person_id, product_id from intermediate.int_person_product_signals where is_bought").df()
    return {person: set(group["product_id"]) for person, group in frame.groupby("person_id")}


def scores(lists: dict[str, list[str]], truth: dict[str, set[str]], products: int) -> dict[str, float]:
    hits = recall = precision = 0.0
    shown: set[str] = set()
    for person, wanted in truth.items():
        offered = lists.get(person, [])[:K]
        shown.update(offered)
        found = len(wanted.intersection(offered))
        hits += found > 0
        recall += found / len(wanted)
        precision += found / K
    n = len(truth)
    return {
        "persons": n,
        f"hit_rate@{K}": hits / n,
        f"recall@{K}": recall / n,
        f"precision@{K}": precision / n,
        "coverage": len(shown) / products,
    }


def evaluate(db: pathlib.Path, cutoff: str, zone: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        truth = new_purchases(con, cutoff, zone)
        if not truth:
            raise SystemExit(f"uw evaluate-recommendations: no person with history bought a new product after {cutoff}")
        persons = sorted(truth)
        products = con.sql("select count(*) from intermediate.int_recommendation_products").fetchall()[0][0]
        methods = {
            "warehouse (user_recommendations)": warehouse_lists(con),
            "recent popularity": popularity_lists(con, persons),
            "implicit ALS": als_lists(con, persons),
        }
    return pd.DataFrame({name: scores(lists, truth, products) for name, lists in methods.items()}).T


def markdown(table: pd.DataFrame) -> str:
    lines = [
        "| method | persons | " + " | ".join(table.columns[1:]) + " |",
        "|---|---:|" + "---:|" * (len(table.columns) - 1),
    ]
    for name, row in table.iterrows():
        cells = [f"{int(row['persons'])}"] + [f"{row[c]:.3f}" for c in table.columns[1:]]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw evaluate-recommendations", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cutoff", required=True, help="the as_of_date the warehouse is built at (YYYY-MM-DD)")
    parser.add_argument("--vars", help="dbt vars as YAML for the build, e.g. '{raw_source: files, raw_path: data/raw}'")
    parser.add_argument(
        "--db", type=pathlib.Path, help="evaluate this DuckDB file, built at the cutoff, without building"
    )
    args = parser.parse_args(argv)
    try:
        cutoff = pd.Timestamp(args.cutoff).date().isoformat()
    except ValueError:
        parser.error(f"--cutoff '{args.cutoff}' is not a date (YYYY-MM-DD)")
    given = (yaml.safe_load(args.vars) if args.vars else None) or {}
    zone = given.get("reporting_timezone") or project.dbt_vars().get("reporting_timezone") or "UTC"
    with tempfile.TemporaryDirectory(prefix="uw-evaluate-") as scratch:
        db = args.db
        if db is None:
            db = pathlib.Path(scratch) / "at_cutoff.duckdb"
            build_at_cutoff(cutoff, args.vars, db, pathlib.Path(scratch) / "target")
        table = evaluate(db, cutoff, zone)
    print(f"recommendations at {K}, warehouse built at as_of_date {cutoff}:\n")
    print(markdown(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
