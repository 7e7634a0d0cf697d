"""The predicted-value fit on PostgreSQL or Spark (docs/predicted-value.md).

On DuckDB the dbt Python model int_clv_fit fits BG/NBD and Gamma-Gamma inside
`dbt build`. dbt-postgres and dbt-spark (method session) run no dbt Python
models, so on those engines this makes the same fit, with the same function
(user_warehouse.clv.fit_frame): it reads intermediate.int_clv_buyers, fits,
and replaces the one-row table intermediate.clv_fit (the dbt source
predicted_value.clv_fit), which int_clv_parameters reads; everything after it
(the per-buyer predictions, the marts, dim_users) is SQL on every engine.

    uw fit --target postgres        # after a build that made int_clv_buyers
    uw build --target postgres      # dbt build around the fit, then publish

`uw build` on these engines runs the whole build around the fit in one
process (build()): dbt build of everything except int_clv_parameters and what
depends on it, the fit, then dbt build of int_clv_parameters and what depends
on it (on Spark: one JVM). A fit left from other inputs fails
int_clv_parameters with a message, never predicts.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import pandas as pd

from user_warehouse import engines
from user_warehouse.clv import fit_frame

SCHEMA = "intermediate"
BUYERS = "int_clv_buyers"
FIT_TABLE = "clv_fit"
BUYER_COLUMNS = ["user_id", "frequency", "recency", "t", "monetary_value"]
# the first model that reads the fit; it and what depends on it are built after the fit
FIRST_READER = "int_clv_parameters"


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows with NaN as None, so that a parameter without data to fit on is written as null."""
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]


def _column_types(frame: pd.DataFrame, double: str) -> list[tuple[str, str]]:
    return [(name, "bigint" if str(dtype) == "int64" else double) for name, dtype in frame.dtypes.items()]


def fit_on_postgres() -> pd.DataFrame:
    with engines.postgres_connection() as con, con.cursor() as cursor:
        cursor.execute(f"select {', '.join(BUYER_COLUMNS)} from {SCHEMA}.{BUYERS}")
        buyers = pd.DataFrame(cursor.fetchall(), columns=BUYER_COLUMNS)
        fitted = fit_frame(_numeric(buyers))
        columns = _column_types(fitted, "double precision")
        # replaced whole in one transaction (the with block commits)
        cursor.execute(f"drop table if exists {SCHEMA}.{FIT_TABLE}")
        cursor.execute(
            f"create table {SCHEMA}.{FIT_TABLE} (" + ", ".join(f"{name} {kind}" for name, kind in columns) + ")"
        )
        cursor.execute(
            f"insert into {SCHEMA}.{FIT_TABLE} values ({', '.join(['%s'] * len(columns))})", _rows(fitted)[0]
        )
    return fitted


def _spark():
    """This process's Spark session when a dbt build (--build) has opened one, else one opened the way dbt opens it."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is not None:  # its JVM is this process's own: do not wait for it
        return SparkSession.builder.getOrCreate()
    return engines.spark_session()


def fit_on_spark() -> pd.DataFrame:
    spark = _spark()
    rows = spark.sql(f"select {', '.join(f'`{c}`' for c in BUYER_COLUMNS)} from `{SCHEMA}`.`{BUYERS}`").collect()
    buyers = pd.DataFrame([tuple(row) for row in rows], columns=BUYER_COLUMNS)
    fitted = fit_frame(_numeric(buyers))
    schema = ", ".join(f"{name} {kind}" for name, kind in _column_types(fitted, "double"))
    spark.createDataFrame(_rows(fitted), schema).write.mode("overwrite").saveAsTable(f"{SCHEMA}.{FIT_TABLE}")
    return fitted


def _numeric(buyers: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers and the mean value as a float, whatever type the engine's driver returned."""
    return buyers.astype(
        {"user_id": "object", "frequency": "int64", "recency": "int64", "t": "int64", "monetary_value": "float64"}
    )


def fit(target: str) -> pd.DataFrame:
    started = time.perf_counter()
    fitted = fit_on_postgres() if target == "postgres" else fit_on_spark()
    row = fitted.iloc[0]
    print(
        f"fitted on {int(row['buyers'])} buyers ({int(row['repeat_buyers'])} repeat)"
        f" in {time.perf_counter() - started:.1f} s: {SCHEMA}.{FIT_TABLE} written",
        flush=True,
    )
    return fitted


def build(target: str, dbt_options: list[str]) -> int:
    """dbt build up to the buyers, the fit, and dbt build of what reads it, in this process."""
    from dbt.cli.main import dbtRunner

    runner = dbtRunner()
    before = runner.invoke(["build", "--target", target, "--exclude", f"{FIRST_READER}+", *dbt_options])
    if not before.success:
        print("dbt build (before the fit) failed", file=sys.stderr)
        return 1
    fit(target)
    after = runner.invoke(["build", "--target", target, "--select", f"{FIRST_READER}+", *dbt_options])
    if not after.success:
        print("dbt build (after the fit) failed", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="uw fit", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--target",
        choices=["postgres", "spark"],
        required=True,
        help="profiles.yml's target (DuckDB fits inside dbt build)",
    )
    args = parser.parse_args(argv)
    fit(args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
