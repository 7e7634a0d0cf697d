"""The propensity models on the shared demo build (docs/rules/churn-warning.md#churn-probability, docs/prospects.md):
the SQL scores against scikit-learn fitted here on the same snapshot, and the published AUC and calibration against
scikit-learn's own measure.

What the features are on a hand-made history is a dbt unit test beside the snapshot models.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# model: (snapshots, scores, label, probability, the mart that publishes it, quality, calibration, baseline feature)
MODELS = {
    "churn": (
        "int_churn_snapshots",
        "int_churn_scores",
        "is_churned",
        "churn_probability",
        "user_churn_warning",
        "churn_model_quality",
        "churn_model_calibration",
        "days_since_last_activity",
    ),
    "prospects": (
        "int_prospect_snapshots",
        "int_prospect_scores",
        "is_first_buyer",
        "purchase_probability",
        "user_prospects",
        "prospect_model_quality",
        "prospect_model_calibration",
        "recent_active_days",
    ),
}


@pytest.fixture(scope="module")
def con(demo):
    connection = duckdb.connect(str(demo.db), read_only=True)
    yield connection
    connection.close()


def _wide(rows: pd.DataFrame, purpose: str) -> pd.DataFrame:
    part = rows[rows["purpose"] == purpose]
    return part.pivot(index="user_id", columns="feature", values="feature_value").sort_index().sort_index(axis=1)


@pytest.mark.parametrize("name", MODELS)
def test_sql_scores_equal_scikit_learns_predictions(con, name) -> None:
    snapshots, _, label, probability, mart, *_ = MODELS[name]
    rows = con.sql(f"select * from intermediate.{snapshots}").df()
    fit_rows = rows[(rows["purpose"] == "fit") & ~rows["is_validation"]]
    x = _wide(fit_rows, "fit")
    y = fit_rows.groupby("user_id")[label].first().reindex(x.index).astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(x.to_numpy(), y.to_numpy())
    scored = _wide(rows, "score")
    expected = pd.Series(model.predict_proba(scored.to_numpy())[:, 1], index=scored.index)
    sql = con.sql(f"select user_id, {probability} from marts.{mart}").df().set_index("user_id")[probability]
    assert len(sql) == len(expected) > 1000
    difference = np.abs(sql.reindex(expected.index) - expected)
    assert difference.max() < 1e-9, difference.sort_values().tail()


@pytest.mark.parametrize("name", MODELS)
def test_published_auc_and_calibration_are_scikit_learns_on_the_users_kept_out(con, name) -> None:
    snapshots, scores_model, label, probability, _, quality_mart, calibration_mart, baseline = MODELS[name]
    scores = con.sql(
        f"select user_id, {label} as label, {probability} as probability from intermediate.{scores_model}"
        " where purpose = 'fit' and is_validation order by user_id"
    ).df()
    feature = (
        con.sql(
            f"select user_id, feature_value from intermediate.{snapshots}"
            f" where purpose = 'fit' and feature = '{baseline}'"
        )
        .df()
        .set_index("user_id")["feature_value"]
        .reindex(scores["user_id"])
    )
    quality = con.sql(f"select * from marts.{quality_mart}").df().iloc[0]
    assert quality["validation_users"] == len(scores) > 100
    assert quality["auc"] == pytest.approx(roc_auc_score(scores["label"], scores["probability"]), abs=1e-9)
    assert quality["baseline_auc"] == pytest.approx(roc_auc_score(scores["label"], feature.to_numpy()), abs=1e-9)
    deciles = con.sql(f"select * from marts.{calibration_mart} order by decile").df()
    assert deciles["decile"].tolist() == list(range(1, 11))
    assert deciles["users"].sum() == len(scores)
    assert deciles["mean_probability"].is_monotonic_increasing
    observed = (deciles["observed_rate"] * deciles["users"]).sum() / deciles["users"].sum()
    assert observed == pytest.approx(scores["label"].mean())


def test_prospects_are_the_users_without_a_valid_order_and_the_top_tenth_is_a_tag(con) -> None:
    prospects = con.sql("select user_id, rank, decile from marts.user_prospects").df()
    buyers = set(con.sql("select user_id from marts.fct_orders where is_valid").df()["user_id"])
    assert len(prospects) > 1000 and not buyers & set(prospects["user_id"])
    assert sorted(prospects["rank"]) == list(range(1, len(prospects) + 1))
    tagged = set(con.sql("select user_id from marts.user_tags where tag_id = 'likely_first_buyer'").df()["user_id"])
    assert tagged == set(prospects.loc[prospects["decile"] == 1, "user_id"])


@pytest.mark.parametrize("name", MODELS)
def test_the_fit_from_duckdb_equals_the_fit_from_long_rows(con, name) -> None:
    """The dbt Python model pivots in DuckDB; `uw fit` (PostgreSQL, Spark) pivots the long rows in pandas: the
    coefficients must be the same to the last bit, or the engines would score differently."""
    from user_warehouse.propensity import fit_duckdb_relation, fit_logistic

    snapshots, _, label, *_ = MODELS[name]
    long_rows = con.sql(f"select * from intermediate.{snapshots} where purpose = 'fit'").df()
    from_rows = fit_logistic(long_rows, label)
    from_duckdb = fit_duckdb_relation(con.table(f"intermediate.{snapshots}"), label)
    pd.testing.assert_frame_equal(from_rows, from_duckdb, check_exact=True)
    stored = con.sql(f"select * from intermediate.{snapshots.replace('_snapshots', '_fit')}").df()
    pd.testing.assert_frame_equal(from_duckdb, stored, check_exact=True, check_dtype=False)
