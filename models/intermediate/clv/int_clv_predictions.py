"""Predicted value per buyer (SPEC §14), from the parameters of int_clv_fit:
P(alive) = 1 / (1 + [x > 0] · a / (b + x − 1) · ((α + T) / (α + tx))^(r + x)) and the expected purchase days in
the next t days, (a + b + x − 1) / (a − 1) · [1 − ((α + T) / (α + T + t))^(r + x) · 2F1(r + x, b + x; a + b + x − 1;
t / (α + T + t))] · P(alive) (Fader, Hardie & Lee 2005, equations 11 and 10; null when a <= 1, where the
expectation is not finite); the expected value of a purchase day, p (γ + x m) / (p x + q − 1) (Gamma-Gamma, the
population mean p γ / (q − 1) for x = 0); predicted value = expected purchases × expected order value.
"""

import numpy as np
import pandas as pd
from scipy.special import hyp2f1


def predict(buyers: pd.DataFrame, parameters: dict, horizon_days: float) -> pd.DataFrame:
    """Null parameters (no buyers, or no repeat buyers, to fit on) give null predictions."""
    def value(name):
        number = parameters.get(name)
        return np.nan if number is None else float(number)

    r, alpha, a, b = (value(f"bgnbd_{name}") for name in ("r", "alpha", "a", "b"))
    p, q, v = (value(f"gamma_gamma_{name}") for name in ("p", "q", "gamma"))
    x, tx, big_t = (buyers[column].to_numpy(dtype=float) for column in ("frequency", "recency", "t"))
    mean = np.nan_to_num(buyers["monetary_value"].to_numpy(dtype=float), nan=0.0)
    odds = np.zeros_like(x)
    repeat = x > 0
    odds[repeat] = a / (b + x[repeat] - 1) * ((alpha + big_t[repeat]) / (alpha + tx[repeat])) ** (r + x[repeat])
    p_alive = 1.0 / (1.0 + odds)
    if a > 1:  # false for a null a too
        z = horizon_days / (alpha + big_t + horizon_days)
        expected = ((a + b + x - 1) / (a - 1)
                    * (1 - ((alpha + big_t) / (alpha + big_t + horizon_days)) ** (r + x)
                       * hyp2f1(r + x, b + x, a + b + x - 1, z)) * p_alive)
    else:
        expected = np.full_like(x, np.nan)
    order_value = p * (v + x * mean) / (p * x + q - 1)
    out = buyers[["user_id", "frequency", "recency", "t", "monetary_value"]].copy()
    out["p_alive"] = p_alive
    out["expected_purchases"] = expected
    out["expected_order_value"] = order_value
    out["predicted_value"] = expected * order_value
    out["horizon_days"] = int(horizon_days)
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    buyers_relation = dbt.ref("int_clv_buyers")
    fit_relation = dbt.ref("int_clv_fit")
    buyers = buyers_relation.df().sort_values("user_id", kind="stable").reset_index(drop=True)
    parameters = fit_relation.df().iloc[0].to_dict()
    return predict(buyers, parameters, float(dbt.config.get("prediction_horizon_days")))
