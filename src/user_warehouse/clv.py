"""Predicted value (docs/predicted-value.md): the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers
the easy way") and the Gamma-Gamma model of spend (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value")
fitted by maximum likelihood over every buyer of int_clv_buyers, days as the time unit. One row: the parameters,
each model's log-likelihood and the buyers it was fitted on.

The published log-likelihoods are maximised with scipy (L-BFGS-B over the logs of the parameters, bounded to
e^±20). lifetimes' fitters stop with a ConvergenceError where the likelihood is flat, as Gamma-Gamma's is on
spend without heterogeneity between buyers (q and gamma then grow together along a ridge; their ratio, which the
predictions use, is identified). One function for every engine: on DuckDB the dbt Python model int_clv_fit
calls fit_frame() in dbt's process; on PostgreSQL and Spark, which run no dbt Python models, `uw fit` calls it
(docs/predicted-value.md).
"""

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln


def bgnbd_log_likelihood(params, frequency, recency, t):
    """Fader, Hardie & Lee (2005), equation 6, summed over the customers; params = (r, alpha, a, b)."""
    r, alpha, a, b = params
    x, tx, big_t = (np.asarray(values, dtype=float) for values in (frequency, recency, t))
    ln_a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    ln_a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    ln_a3 = -(r + x) * np.log(alpha + big_t)
    repeat = x > 0
    ln_a4 = np.full_like(x, -np.inf)
    ln_a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + tx[repeat])
    return float(np.sum(ln_a1 + ln_a2 + np.logaddexp(ln_a3, ln_a4)))


def gamma_gamma_log_likelihood(params, frequency, monetary_value):
    """Fader & Hardie (2013): the likelihood of each customer's mean spend over x repeat transactions, summed;
    params = (p, q, gamma)."""
    p, q, v = params
    x, mean = (np.asarray(values, dtype=float) for values in (frequency, monetary_value))
    return float(
        np.sum(
            gammaln(p * x + q)
            - gammaln(p * x)
            - gammaln(q)
            + q * np.log(v)
            + (p * x - 1) * np.log(mean)
            + p * x * np.log(x)
            - (p * x + q) * np.log(v + x * mean)
        )
    )


def maximise(log_likelihood, size, data):
    """The parameters (all > 0) that maximise log_likelihood(params, *data), and the maximum."""
    rows = max(len(data[0]), 1)
    result = minimize(
        lambda z: -log_likelihood(np.exp(z), *data) / rows,
        np.zeros(size),
        method="L-BFGS-B",
        bounds=[(-20.0, 20.0)] * size,
        options={"maxiter": 10000, "ftol": 1e-15, "gtol": 1e-10},
    )
    if not np.isfinite(result.fun):
        raise ValueError(f"the likelihood is not finite at the fitted parameters: {result.message}")
    return np.exp(result.x), -result.fun * rows


def fit(buyers: pd.DataFrame) -> dict:
    """Both models fitted on a frame with frequency, recency, t and monetary_value (one row per buyer). Data
    without buyers (events only) or without repeat buyers leaves that model's parameters null: the build goes on,
    and the predictions that need them are null."""
    bgnbd, bgnbd_ll = [None] * 4, None
    if not buyers.empty:
        bgnbd, bgnbd_ll = maximise(bgnbd_log_likelihood, 4, (buyers["frequency"], buyers["recency"], buyers["t"]))
    repeat = buyers[(buyers["frequency"] >= 1) & (buyers["monetary_value"] > 0)]
    spend, spend_ll = [None] * 3, None
    if not repeat.empty:
        spend, spend_ll = maximise(gamma_gamma_log_likelihood, 3, (repeat["frequency"], repeat["monetary_value"]))
    return {
        "bgnbd_r": bgnbd[0],
        "bgnbd_alpha": bgnbd[1],
        "bgnbd_a": bgnbd[2],
        "bgnbd_b": bgnbd[3],
        "bgnbd_log_likelihood": bgnbd_ll,
        "buyers": len(buyers),
        "gamma_gamma_p": spend[0],
        "gamma_gamma_q": spend[1],
        "gamma_gamma_gamma": spend[2],
        "gamma_gamma_log_likelihood": spend_ll,
        "repeat_buyers": len(repeat),
        # the inputs fitted on, which int_clv_parameters compares with int_clv_buyers in its build
        "frequency_sum": int(buyers["frequency"].sum()),
        "recency_sum": int(buyers["recency"].sum()),
        "t_sum": int(buyers["t"].sum()),
    }


COUNTS = ("buyers", "repeat_buyers", "frequency_sum", "recency_sum", "t_sum")


def fit_frame(buyers: pd.DataFrame) -> pd.DataFrame:
    """fit() as a one-row frame with fixed types, the buyers taken in user_id order (the same rows give the same
    parameters on every engine)."""
    ordered = buyers.sort_values("user_id", kind="stable").reset_index(drop=True)
    frame = pd.DataFrame([fit(ordered)])
    return frame.astype({name: "int64" for name in COUNTS}).astype(
        {name: "float64" for name in frame.columns if name not in COUNTS}
    )
