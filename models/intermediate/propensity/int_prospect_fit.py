"""The prospect model's fit (docs/prospects.md): a logistic regression over the fit snapshot of
int_prospect_snapshots, one row per feature. The fit lives in the package (user_warehouse.propensity), so that `uw
fit` makes the same fit on the engines that run no dbt Python models."""

from user_warehouse.propensity import fit_duckdb_relation


def model(dbt, session):
    dbt.config(materialized="table")
    return fit_duckdb_relation(dbt.ref("int_prospect_snapshots"), "is_first_buyer")
