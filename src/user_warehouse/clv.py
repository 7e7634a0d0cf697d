"""Predicted value (docs/predicted-value.md): the BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers
the easy way") and the Gamma-Gamma model of spend (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value")
fitted by maximum likelihood over every buyer of int_clv_buyers, days as the time unit. One row: the parameters,
each model's log-likelihood and the buyers it was fitted on.

The published log-likelihoods are maximised with scipy (L-BFGS-B over the logs of the parameters, bounded to
e^±20, from several starts, the best run polished by Nelder-Mead: on a flat likelihood one run stops short of the
maximum). lifetimes' fitters stop with a ConvergenceError where the likelihood is flat, as Gamma-Gamma's is on
spend without heterogeneity between buyers (q and gamma then grow together along a ridge; their ratio, which the
predictions use, is identified). One function for every engine: on DuckDB the dbt Python model int_clv_fit
calls fit_frame() in dbt's process; on PostgreSQL and Spark, which run no dbt Python models, `uw fit` calls it
(docs/predicted-value.md).
"""

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import gammaln


def bgnbd_log_likelihood(params, frequency, recency, t, weights=None):
    """Fader, Hardie & Lee (2005), equation 6, summed over the customers (each counted weights times, 1 when none
    is given); params = (r, alpha, a, b)."""
    r, alpha, a, b = params
    x, tx, big_t = (np.asarray(values, dtype=float) for values in (frequency, recency, t))
    ln_a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    ln_a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    ln_a3 = -(r + x) * np.log(alpha + big_t)
    repeat = x > 0
    ln_a4 = np.full_like(x, -np.inf)
    ln_a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + tx[repeat])
    per_customer = ln_a1 + ln_a2 + np.logaddexp(ln_a3, ln_a4)
    return float(np.sum(per_customer if weights is None else per_customer * np.asarray(weights, dtype=float)))


def gamma_gamma_log_likelihood(params, frequency, monetary_value, weights=None):
    """Fader & Hardie (2013): the likelihood of each customer's mean spend over x repeat transactions, summed (each
    counted weights times, 1 when none is given); params = (p, q, gamma)."""
    p, q, v = params
    x, mean = (np.asarray(values, dtype=float) for values in (frequency, monetary_value))
    per_customer = (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(mean)
        + p * x * np.log(x)
        - (p * x + q) * np.log(v + x * mean)
    )
    return float(np.sum(per_customer if weights is None else per_customer * np.asarray(weights, dtype=float)))


# Where the optimiser starts, in the logs of the parameters: 1 for each, then e^-1 and e^1, then three draws of a
# fixed seed. On a flat likelihood (a ridge) a single run stops where the slope falls below its tolerance, which
# depends on where it started; the best of several runs, polished, does not.
START_SEEDS = 3
BOUNDS = (-20.0, 20.0)


def _starts(size: int) -> list[np.ndarray]:
    draws = np.random.RandomState(0).normal(0.0, 1.5, size=(START_SEEDS, size))
    return [np.zeros(size), np.full(size, -1.0), np.full(size, 1.0), *np.clip(draws, *BOUNDS)]


def maximise(log_likelihood, size, data, weights=None):
    """The parameters (all > 0) that maximise log_likelihood(params, *data, weights), and the maximum: L-BFGS-B over
    the logs of the parameters (bounded to e^±20) from each of _starts(), then the best run polished by Nelder-Mead
    with tight tolerances and L-BFGS-B once more."""
    rows = max(float(np.sum(weights)) if weights is not None else len(data[0]), 1.0)

    def objective(z):
        return -log_likelihood(np.exp(z), *data, weights) / rows

    def gradient_run(start):
        return minimize(
            objective,
            start,
            method="L-BFGS-B",
            bounds=[BOUNDS] * size,
            options={"maxiter": 10000, "ftol": 1e-15, "gtol": 1e-10},
        )

    runs = [gradient_run(start) for start in _starts(size)]
    best = min((run for run in runs if np.isfinite(run.fun)), key=lambda run: run.fun, default=runs[0])
    if not np.isfinite(best.fun):
        raise ValueError(f"the likelihood is not finite at the fitted parameters: {best.message}")
    polished = minimize(
        objective,
        np.clip(best.x, *BOUNDS),
        method="Nelder-Mead",
        bounds=[BOUNDS] * size,
        options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 10000, "maxfev": 10000},
    )
    for run in (polished, gradient_run(np.clip(polished.x, *BOUNDS))):
        if np.isfinite(run.fun) and run.fun < best.fun:
            best = run
    return np.exp(best.x), -best.fun * rows


def fit(buyers: pd.DataFrame) -> dict:
    """Both models fitted on a frame with frequency, recency, t and monetary_value (one row per buyer). Data
    without buyers (events only) or without repeat buyers leaves that model's parameters null: the build goes on,
    and the predictions that need them are null. Buyers with the same inputs are fitted once, counted as many
    times as they are (the likelihoods are sums over buyers), in the order of their inputs."""
    bgnbd, bgnbd_ll = [None] * 4, None
    if not buyers.empty:
        same = buyers.groupby(["frequency", "recency", "t"], sort=True).size().reset_index(name="buyers")
        bgnbd, bgnbd_ll = maximise(
            bgnbd_log_likelihood, 4, (same["frequency"], same["recency"], same["t"]), same["buyers"].to_numpy()
        )
    repeat = buyers[(buyers["frequency"] >= 1) & (buyers["monetary_value"] > 0)]
    spend, spend_ll = [None] * 3, None
    if not repeat.empty:
        same = repeat.groupby(["frequency", "monetary_value"], sort=True).size().reset_index(name="buyers")
        spend, spend_ll = maximise(
            gamma_gamma_log_likelihood, 3, (same["frequency"], same["monetary_value"]), same["buyers"].to_numpy()
        )
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
