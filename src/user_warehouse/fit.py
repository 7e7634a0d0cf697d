"""The fits made in Python, on PostgreSQL or Spark (docs/predicted-value.md, docs/rules/churn-warning.md).

On DuckDB dbt Python models fit inside `dbt build`: int_clv_fit (BG/NBD and
Gamma-Gamma), int_churn_fit and int_prospect_fit (the propensity models). dbt-postgres and dbt-spark
(method session) run no dbt Python models, so on those engines this makes the
same fits, with the same functions (user_warehouse.clv.fit_frame,
user_warehouse.propensity.fit_logistic): each reads its input relation, fits,
and replaces its table in schema intermediate (the dbt sources
predicted_value.clv_fit, propensity.churn_fit and propensity.prospect_fit), which the first model
after the fit reads; everything after it is SQL on every engine.

    uw fit --target postgres        # after a build that made the fits' inputs
    uw build --target postgres      # dbt build around the fits, then publish

`uw build` on these engines runs the whole build around the fits in one
process (build()): dbt build of everything except the first readers of the
fits and what depends on them, the fits, then dbt build of those readers and
what depends on them (on Spark: one JVM). A fit left from other inputs fails
its reader with a message, never predicts.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from user_warehouse import engines
from user_warehouse.clv import fit_frame
from user_warehouse.propensity import fit_logistic

SCHEMA = "intermediate"


@dataclass(frozen=True)
class Fit:
    name: str
    relation: str  # the input, in SCHEMA
    columns: dict[str, str]  # its columns and the pandas type each is read as
    where: str  # the rows of the input the fit reads
    table: str  # the fit's table, in SCHEMA
    first_reader: str  # the first model that reads the fit; it and what depends on it are built after the fits
    fit: Callable[[pd.DataFrame], pd.DataFrame]


FITS = [
    Fit(
        "predicted value",
        "int_clv_buyers",
        {"user_id": "object", "frequency": "int64", "recency": "int64", "t": "int64", "monetary_value": "float64"},
        "true",
        "clv_fit",
        "int_clv_parameters",
        fit_frame,
    ),
    Fit(
        "churn",
        "int_churn_snapshots",
        {
            "user_id": "object",
            "feature": "object",
            "feature_value": "float64",
            "is_churned": "bool",
            "is_validation": "bool",
        },
        "purpose = 'fit'",
        "churn_fit",
        "int_churn_coefficients",
        lambda rows: fit_logistic(rows, "is_churned"),
    ),
    Fit(
        "prospects",
        "int_prospect_snapshots",
        {
            "user_id": "object",
            "feature": "object",
            "feature_value": "float64",
            "is_first_buyer": "bool",
            "is_validation": "bool",
        },
        "purpose = 'fit'",
        "prospect_fit",
        "int_prospect_coefficients",
        lambda rows: fit_logistic(rows, "is_first_buyer"),
    ),
]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows with NaN as None, so that a parameter without data to fit on is written as null."""
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]


def _column_types(frame: pd.DataFrame, double: str, text: str) -> list[tuple[str, str]]:
    kinds = {"int64": "bigint", "object": text, "str": text, "string": text}
    return [(name, kinds.get(str(dtype), double)) for name, dtype in frame.dtypes.items()]


def fit_on_postgres(spec: Fit) -> pd.DataFrame:
    with engines.postgres_connection() as con, con.cursor() as cursor:
        cursor.execute(f"select {', '.join(spec.columns)} from {SCHEMA}.{spec.relation} where {spec.where}")
        fitted = spec.fit(pd.DataFrame(cursor.fetchall(), columns=list(spec.columns)).astype(spec.columns))
        columns = _column_types(fitted, "double precision", "text")
        # replaced whole in one transaction (the with block commits)
        cursor.execute(f"drop table if exists {SCHEMA}.{spec.table}")
        cursor.execute(
            f"create table {SCHEMA}.{spec.table} (" + ", ".join(f"{name} {kind}" for name, kind in columns) + ")"
        )
        cursor.executemany(
            f"insert into {SCHEMA}.{spec.table} values ({', '.join(['%s'] * len(columns))})", _rows(fitted)
        )
    return fitted


def _spark():
    """This process's Spark session when a dbt build (--build) has opened one, else one opened the way dbt opens it."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is not None:  # its JVM is this process's own: do not wait for it
        return SparkSession.builder.getOrCreate()
    return engines.spark_session()


def fit_on_spark(spec: Fit) -> pd.DataFrame:
    spark = _spark()
    columns = ", ".join(f"`{c}`" for c in spec.columns)
    rows = spark.sql(f"select {columns} from `{SCHEMA}`.`{spec.relation}` where {spec.where}").collect()
    fitted = spec.fit(pd.DataFrame([tuple(row) for row in rows], columns=list(spec.columns)).astype(spec.columns))
    schema = ", ".join(f"{name} {kind}" for name, kind in _column_types(fitted, "double", "string"))
    spark.createDataFrame(_rows(fitted), schema).write.mode("overwrite").saveAsTable(f"{SCHEMA}.{spec.table}")
    return fitted


def fit(target: str) -> None:
    for spec in FITS:
        started = time.perf_counter()
        fitted = fit_on_postgres(spec) if target == "postgres" else fit_on_spark(spec)
        print(
            f"{spec.name}: fitted in {time.perf_counter() - started:.1f} s, {SCHEMA}.{spec.table} written"
            f" ({len(fitted)} rows)",
            flush=True,
        )


def build(target: str, dbt_options: list[str]) -> int:
    """dbt build up to the fits' inputs, the fits, and dbt build of what reads them, in this process."""
    from dbt.cli.main import dbtRunner

    readers = [f"{spec.first_reader}+" for spec in FITS]
    runner = dbtRunner()
    before = runner.invoke(["build", "--target", target, "--exclude", *readers, *dbt_options])
    if not before.success:
        print("dbt build (before the fits) failed", file=sys.stderr)
        return 1
    fit(target)
    after = runner.invoke(["build", "--target", target, "--select", *readers, *dbt_options])
    if not after.success:
        print("dbt build (after the fits) failed", file=sys.stderr)
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
