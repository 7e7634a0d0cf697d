"""Predicted value (docs/predicted-value.md): the maximum-likelihood fit reproduces the papers' parameters on the
CDNOW sample (shipped inside the lifetimes wheel, read from disk), and the per-buyer predictions of the SQL model
int_clv_predictions, run by dbt on the CDNOW buyers, equal lifetimes' formulas."""

from __future__ import annotations

import pathlib

import duckdb
import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.datasets import load_cdnow_summary, load_cdnow_summary_data_with_monetary_value
from lifetimes.generate_data import beta_geometric_nbd_model
from scipy.optimize import minimize

from user_warehouse import clv

from conftest import run_dbt

fit_model = clv  # the fit the dbt Python model int_clv_fit and `uw fit` both call


@pytest.fixture(scope="module")
def cdnow() -> tuple[pd.DataFrame, dict]:
    """The CDNOW sample summary (2,357 customers, weeks, 39-week calibration) as int_clv_buyers holds buyers, and
    the parameters fitted on it (Gamma-Gamma on the 946 repeat buyers' mean spend)."""
    summary = load_cdnow_summary(index_col=[0])
    spend = load_cdnow_summary_data_with_monetary_value()
    buyers = pd.DataFrame(
        {
            "user_id": summary.index.astype(str),
            "frequency": summary["frequency"].values,
            "recency": summary["recency"].values,
            "t": summary["T"].values,
            "monetary_value": spend["monetary_value"].where(spend["frequency"] > 0).values,
        }
    )
    return buyers, fit_model.fit(buyers)


def test_cdnow_parameters_are_the_papers_within_one_percent(cdnow) -> None:
    _, fitted = cdnow
    papers = {
        "bgnbd_r": 0.243,
        "bgnbd_alpha": 4.414,
        "bgnbd_a": 0.793,
        "bgnbd_b": 2.426,  # Fader, Hardie & Lee 2005
        "gamma_gamma_p": 6.25,
        "gamma_gamma_q": 3.74,
        "gamma_gamma_gamma": 15.44,
    }  # Fader & Hardie 2013
    assert {name: round(fitted[name], 3) for name in papers} == pytest.approx(papers, rel=0.01)
    assert fitted["buyers"] == 2357 and fitted["repeat_buyers"] == 946
    assert fitted["bgnbd_log_likelihood"] == pytest.approx(-9582.4, abs=0.1)  # the paper's LL


def _lifetimes(params: dict) -> tuple[BetaGeoFitter, GammaGammaFitter]:
    bgnbd = BetaGeoFitter()
    bgnbd.params_ = pd.Series({k: params[f"bgnbd_{k}"] for k in ("r", "alpha", "a", "b")})
    spend = GammaGammaFitter()
    spend.params_ = pd.Series(
        {"p": params["gamma_gamma_p"], "q": params["gamma_gamma_q"], "v": params["gamma_gamma_gamma"]}
    )
    return bgnbd, spend


def _write_inputs(db: pathlib.Path, buyers: pd.DataFrame, params: dict, t_sum_shift: int = 0) -> None:
    """The buyers as intermediate.int_clv_buyers and the parameters as intermediate.int_clv_fit, with the sums of
    the inputs as int_clv_fit writes them (summed by DuckDB, as int_clv_parameters sums them)."""
    with duckdb.connect(str(db)) as con:
        con.execute("create schema intermediate")
        con.register("buyers_frame", buyers)
        sums = ("frequency_sum", "recency_sum", "t_sum")
        con.register("fit_frame", pd.DataFrame([{k: v for k, v in params.items() if k not in sums}]))
        con.execute("create table intermediate.int_clv_buyers as select * from buyers_frame")
        con.execute(
            "create table intermediate.int_clv_fit as select fit_frame.*, sums.* from fit_frame,"
            " (select sum(frequency) as frequency_sum, sum(recency) as"
            f" recency_sum, sum(t) + {int(t_sum_shift)} as t_sum from intermediate.int_clv_buyers) as sums"
        )


def _sql_predictions(buyers: pd.DataFrame, params: dict, horizon: int, work: pathlib.Path) -> pd.DataFrame:
    """int_clv_parameters and int_clv_predictions run by dbt on DuckDB, over the given buyers as int_clv_buyers and
    the given parameters as int_clv_fit (the fit's input sums taken from those buyers, as int_clv_fit writes them)."""
    db = work / "clv.duckdb"
    _write_inputs(db, buyers, params)
    result = run_dbt(
        ["run", "-s", "int_clv_parameters", "int_clv_predictions"],
        db,
        dbt_vars={"prediction_horizon_days": horizon},
        tmp=work,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(db), read_only=True) as con:
        predicted = con.sql("select * from intermediate.int_clv_predictions").df()
    return buyers[["user_id"]].merge(predicted, on="user_id", how="left", validate="one_to_one")


# the papers' published CDNOW values: BG/NBD (Fader, Hardie & Lee 2005), Gamma-Gamma (Fader & Hardie 2013)
PAPERS = {
    "bgnbd_r": 0.243,
    "bgnbd_alpha": 4.414,
    "bgnbd_a": 0.793,
    "bgnbd_b": 2.426,
    "gamma_gamma_p": 6.25,
    "gamma_gamma_q": 3.74,
    "gamma_gamma_gamma": 15.44,
}


def test_sql_predictions_equal_lifetimes_formulas_at_the_papers_values(cdnow, tmp_path) -> None:
    """P(alive), the expected purchases (2F1 summed as a series in SQL) and the Gamma-Gamma mean, per CDNOW buyer at
    the papers' parameters, equal lifetimes' to 1e-9. Their a (0.793) is below 1, where the closed form holds as
    well (both its factors are negative): every buyer gets a finite value. The horizon is 39 weeks."""
    buyers, fitted = cdnow
    params = {**fitted, **PAPERS}
    predicted = _sql_predictions(buyers, params, 39, tmp_path)
    bgnbd, spend = _lifetimes(params)
    f, r, t = buyers["frequency"], buyers["recency"], buyers["t"]
    expected = bgnbd.conditional_expected_number_of_purchases_up_to_time(39, f, r, t)
    assert predicted["expected_purchases"].notna().all() and predicted["predicted_value"].notna().all()
    np.testing.assert_allclose(predicted["p_alive"], bgnbd.conditional_probability_alive(f, r, t), rtol=1e-9)
    np.testing.assert_allclose(predicted["expected_purchases"], expected, rtol=1e-9)
    np.testing.assert_allclose(
        predicted["expected_order_value"],
        spend.conditional_expected_average_profit(f, buyers["monetary_value"].fillna(0)),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        predicted["predicted_value"], predicted["expected_purchases"] * predicted["expected_order_value"], rtol=1e-12
    )
    assert predicted["horizon_days"].eq(39).all()


@pytest.mark.parametrize("a", [1.0, 1 + 3e-5, 0.5, 2.5])
def test_sql_expected_purchases_hold_for_every_a(cdnow, tmp_path, a) -> None:
    """a = 1 is a removable point of the closed form ((a + b + x − 1) / (a − 1) and its bracket both vanish):
    there, and just beside it, the SQL equals the limit of lifetimes' formula (its mean at a ± 1e-4, exact to the
    second order) to 1e-6; below and above 1 it equals lifetimes' formula to 1e-9."""
    buyers, fitted = cdnow
    params = {**fitted, **PAPERS, "bgnbd_a": a}
    predicted = _sql_predictions(buyers, params, 39, tmp_path)
    f, r, t = buyers["frequency"], buyers["recency"], buyers["t"]
    if abs(a - 1) < 1e-3:
        sides = [
            _lifetimes({**params, "bgnbd_a": a + d})[0].conditional_expected_number_of_purchases_up_to_time(39, f, r, t)
            for d in (-1e-4, 1e-4)
        ]
        np.testing.assert_allclose(predicted["expected_purchases"], (sides[0] + sides[1]) / 2, rtol=1e-6)
    else:
        expected = _lifetimes(params)[0].conditional_expected_number_of_purchases_up_to_time(39, f, r, t)
        np.testing.assert_allclose(predicted["expected_purchases"], expected, rtol=1e-9)


def test_a_stale_fit_fails_the_build_instead_of_predicting(cdnow, tmp_path) -> None:
    """On PostgreSQL and Spark the fit is a table written between two builds: parameters fitted on other buyers than
    int_clv_buyers holds in this build must fail the build with a message, not give predictions."""
    buyers, fitted = cdnow
    db = tmp_path / "clv.duckdb"
    _write_inputs(db, buyers, fitted, t_sum_shift=1)  # as if as_of_date had moved a day since the fit
    result = run_dbt(["run", "-s", "int_clv_parameters"], db, tmp=tmp_path)
    assert result.returncode != 0
    assert "the predicted-value fit is not of the buyers int_clv_buyers holds in this build" in result.stdout


def test_no_buyer_or_no_repeat_buyer_leaves_that_model_null_and_the_build_going() -> None:
    """Data with events and no valid order (or no repeat buyer) must still build: the model that has nothing to
    fit on has null parameters, and the predictions that need them are null."""
    empty = pd.DataFrame({"user_id": [], "frequency": [], "recency": [], "t": [], "monetary_value": []})
    fitted = fit_model.fit(empty)
    assert fitted["buyers"] == 0 and fitted["bgnbd_r"] is None and fitted["gamma_gamma_p"] is None
    once = pd.DataFrame(
        {
            "user_id": ["u1", "u2", "u3"],
            "frequency": [0, 0, 0],
            "recency": [0, 0, 0],
            "t": [10, 20, 30],
            "monetary_value": [None, None, None],
        }
    )
    fitted = fit_model.fit(once)
    assert fitted["repeat_buyers"] == 0 and fitted["gamma_gamma_p"] is None
    assert fitted["bgnbd_r"] is not None and (fitted["frequency_sum"], fitted["t_sum"]) == (0, 60)


def test_sql_series_holds_where_it_is_longest(tmp_path) -> None:
    """The 2F1 series where it converges slowest: z = h / (α + T + h) near 1 (α half a day, a year's horizon,
    buyers from today's first purchase to 500 days ago) and large x; equal to lifetimes (scipy's hyp2f1) to 1e-9."""
    grid = [(x, t) for x in (0, 1, 5, 30, 120) for t in (0, 1, 10, 100, 500) if x <= t]
    buyers = pd.DataFrame(
        {
            "user_id": [f"u{x}_{t}" for x, t in grid],
            "frequency": [x for x, _ in grid],
            "recency": [t // 2 if x else 0 for x, t in grid],
            "t": [t for _, t in grid],
            "monetary_value": [10.0 if x else None for x, _ in grid],
        }
    )
    params = {
        "bgnbd_r": 2.0,
        "bgnbd_alpha": 0.5,
        "bgnbd_a": 1.5,
        "bgnbd_b": 0.8,
        "bgnbd_log_likelihood": None,
        "buyers": len(buyers),
        "gamma_gamma_p": 3.0,
        "gamma_gamma_q": 4.0,
        "gamma_gamma_gamma": 20.0,
        "gamma_gamma_log_likelihood": None,
        "repeat_buyers": int((buyers["frequency"] > 0).sum()),
    }
    predicted = _sql_predictions(buyers, params, 365, tmp_path)
    bgnbd, _ = _lifetimes(params)
    expected = bgnbd.conditional_expected_number_of_purchases_up_to_time(
        365, buyers["frequency"], buyers["recency"], buyers["t"]
    )
    np.testing.assert_allclose(predicted["expected_purchases"], expected, rtol=1e-9)
    np.testing.assert_allclose(
        predicted["p_alive"],
        bgnbd.conditional_probability_alive(buyers["frequency"], buyers["recency"], buyers["t"]),
        rtol=1e-9,
    )


def test_the_fit_reaches_the_maximum_along_a_ridge() -> None:
    """Buyers whose dropout probability hardly varies: the BG/NBD likelihood rises ever more slowly as a and b grow
    together, a ridge on which one optimiser run from one start stops short (0.056 log-likelihood here, as on a
    public retail log). lifetimes' fitter stops there with a ConvergenceError, so the maximum is taken from a
    long Nelder-Mead run started at the parameters the data were drawn with. The fit (several starts, the best
    polished) reaches it."""
    rng = np.random.RandomState(8)
    t = rng.randint(1, 366, 3000)
    np.random.seed(8)  # lifetimes draws from numpy's global generator
    drawn = beta_geometric_nbd_model(t, 0.16, 11.0, 25.0, 70.0, size=3000)
    data = (drawn["frequency"].to_numpy(), drawn["recency"].to_numpy(), drawn["T"].to_numpy())

    def objective(z):
        return -fit_model.bgnbd_log_likelihood(np.exp(z), *data) / len(t)

    one_run = minimize(objective, np.zeros(4), method="L-BFGS-B", bounds=[(-20, 20)] * 4)
    reference = minimize(
        objective,
        np.log([0.16, 11.0, 25.0, 70.0]),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 40000, "maxfev": 40000},
    )
    _, fitted = fit_model.maximise(fit_model.bgnbd_log_likelihood, 4, data)
    assert fitted >= -reference.fun * len(t) - 1e-4
    assert fitted > -one_run.fun * len(t) + 0.03  # the ridge is there: one run stops short
