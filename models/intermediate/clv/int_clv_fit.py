"""The predicted-value fit (docs/predicted-value.md): BG/NBD and Gamma-Gamma by maximum likelihood over
int_clv_buyers, one row. The fit itself lives in the package (user_warehouse.clv), so that `uw fit` makes the
same fit on the engines that run no dbt Python models."""

from user_warehouse.clv import fit_frame


def model(dbt, session):
    dbt.config(materialized="table")
    return fit_frame(dbt.ref("int_clv_buyers").df())
