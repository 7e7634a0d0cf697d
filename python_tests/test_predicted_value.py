"""Predicted value (SPEC §14): the maximum-likelihood fit reproduces the papers' parameters on the CDNOW sample
(shipped inside the lifetimes wheel, read from disk), and the per-buyer predictions equal lifetimes' formulas."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.datasets import load_cdnow_summary, load_cdnow_summary_data_with_monetary_value

from conftest import ROOT


def _module(name: str):
    path = ROOT / "models" / "intermediate" / "clv" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fit_model, predictions_model = _module("int_clv_fit"), _module("int_clv_predictions")


@pytest.fixture(scope="module")
def cdnow() -> tuple[pd.DataFrame, dict]:
    """The CDNOW sample summary (2,357 customers, weeks, 39-week calibration) as int_clv_buyers holds buyers, and
    the parameters fitted on it (Gamma-Gamma on the 946 repeat buyers' mean spend)."""
    summary = load_cdnow_summary(index_col=[0])
    spend = load_cdnow_summary_data_with_monetary_value()
    buyers = pd.DataFrame({"user_id": summary.index.astype(str), "frequency": summary["frequency"].values,
                           "recency": summary["recency"].values, "t": summary["T"].values,
                           "monetary_value": spend["monetary_value"].where(spend["frequency"] > 0).values})
    return buyers, fit_model.fit(buyers)


def test_cdnow_parameters_are_the_papers_within_one_percent(cdnow) -> None:
    _, fitted = cdnow
    papers = {"bgnbd_r": 0.243, "bgnbd_alpha": 4.414, "bgnbd_a": 0.793, "bgnbd_b": 2.426,  # Fader, Hardie & Lee 2005
              "gamma_gamma_p": 6.25, "gamma_gamma_q": 3.74, "gamma_gamma_gamma": 15.44}  # Fader & Hardie 2013
    assert {name: round(fitted[name], 3) for name in papers} == pytest.approx(papers, rel=0.01)
    assert fitted["buyers"] == 2357 and fitted["repeat_buyers"] == 946
    assert fitted["bgnbd_log_likelihood"] == pytest.approx(-9582.4, abs=0.1)  # the paper's LL


def test_predictions_equal_lifetimes_formulas(cdnow) -> None:
    buyers, fitted = cdnow
    predicted = predictions_model.predict(buyers, fitted, horizon_days=39.0)
    bgnbd = BetaGeoFitter()
    bgnbd.params_ = pd.Series({k: fitted[f"bgnbd_{k}"] for k in ("r", "alpha", "a", "b")})
    spend = GammaGammaFitter()
    spend.params_ = pd.Series({"p": fitted["gamma_gamma_p"], "q": fitted["gamma_gamma_q"],
                               "v": fitted["gamma_gamma_gamma"]})
    f, r, t = buyers["frequency"], buyers["recency"], buyers["t"]
    np.testing.assert_allclose(predicted["p_alive"], bgnbd.conditional_probability_alive(f, r, t), rtol=1e-9)
    # a = 0.79 < 1: the expected purchases are not finite, and the model says so with null
    assert predicted["expected_purchases"].isna().all()
    np.testing.assert_allclose(predicted["expected_order_value"],
                               spend.conditional_expected_average_profit(f, buyers["monetary_value"].fillna(0)),
                               rtol=1e-9)


def test_expected_purchases_equal_lifetimes_when_a_exceeds_one(cdnow) -> None:
    buyers, fitted = cdnow
    params = {**fitted, "bgnbd_a": 1.8}
    predicted = predictions_model.predict(buyers, params, horizon_days=39.0)
    bgnbd = BetaGeoFitter()
    bgnbd.params_ = pd.Series({k: params[f"bgnbd_{k}"] for k in ("r", "alpha", "a", "b")})
    expected = bgnbd.conditional_expected_number_of_purchases_up_to_time(
        39.0, buyers["frequency"], buyers["recency"], buyers["t"])
    np.testing.assert_allclose(predicted["expected_purchases"], expected, rtol=1e-8)
    np.testing.assert_allclose(predicted["predicted_value"],
                               predicted["expected_purchases"] * predicted["expected_order_value"], rtol=1e-12)


def test_no_buyer_or_no_repeat_buyer_leaves_that_model_null_and_the_build_going() -> None:
    """Data with events and no valid order (or no repeat buyer) must still build: the model that has nothing to
    fit on has null parameters, and the predictions that need them are null."""
    empty = pd.DataFrame({"user_id": [], "frequency": [], "recency": [], "t": [], "monetary_value": []})
    fitted = fit_model.fit(empty)
    assert fitted["buyers"] == 0 and fitted["bgnbd_r"] is None and fitted["gamma_gamma_p"] is None
    once = pd.DataFrame({"user_id": ["u1", "u2", "u3"], "frequency": [0, 0, 0], "recency": [0, 0, 0],
                         "t": [10, 20, 30], "monetary_value": [None, None, None]})
    fitted = fit_model.fit(once)
    assert fitted["repeat_buyers"] == 0 and fitted["gamma_gamma_p"] is None
    predicted = predictions_model.predict(once, fitted, horizon_days=90.0)
    assert predicted["p_alive"].eq(1.0).all()  # nobody has repeated, so nobody has dropped out
    assert predicted["expected_order_value"].isna().all() and predicted["predicted_value"].isna().all()
