"""The propensity fits (docs/rules/churn-warning.md#churn-probability): a logistic regression per question,
fitted once in Python on a snapshot the warehouse described in SQL, its coefficients stored one row per feature so
that SQL scores every user on every engine.

The input is long: one row per user and feature (user_id, feature, feature_value, the label, is_validation), so
that the list of features lives once, in the SQL that describes the users. Users marked is_validation are kept
out of the fit; the SQL measures the model on them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INTERCEPT = "(intercept)"
# scikit-learn's defaults: L2 with C = 1 on standardised features, lbfgs; enough iterations to converge
SETTINGS = {"C": 1.0, "max_iter": 1000}


def fit_logistic(rows: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per feature and one for the intercept: the standardisation (feature_mean, feature_scale) and the
    coefficient, with the users fitted on and how many of them had the label. Without both labels among the users
    the coefficients are null: nothing to learn."""
    fitted = rows[~rows["is_validation"].astype(bool)]
    # rows sorted by user and feature: the same input gives the same fit, whatever order the engine returned
    matrix = fitted.pivot(index="user_id", columns="feature", values="feature_value").sort_index().sort_index(axis=1)
    labels = fitted.groupby("user_id")[label].first().reindex(matrix.index)
    return fit_matrix(matrix, labels)


def fit_duckdb_relation(snapshots, label: str) -> pd.DataFrame:
    """fit_logistic for a DuckDB relation (the dbt Python models): the same matrix, users and features sorted alike,
    but pivoted by DuckDB, which at one million users takes a fraction of the 4 s pandas needs to load and pivot
    the long rows."""
    fit_rows = snapshots.filter("purpose = 'fit'")
    features = sorted(row[0] for row in fit_rows.project("feature").distinct().fetchall())
    # the names come from the snapshot model's own list; quoted all the same
    quoted = [(name.replace("'", "''"), name.replace('"', '""')) for name in features]
    columns = ", ".join(
        f"max(case when feature = '{text}' then feature_value end) as \"{alias}\"" for text, alias in quoted
    )
    wide = (
        fit_rows.filter("not is_validation")
        .aggregate(f"user_id, bool_or({label}) as label, {columns}", "user_id")
        .order("user_id")
        .df()
        .set_index("user_id")
    )
    return fit_matrix(wide[features], wide["label"])


def fit_matrix(matrix: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """The fit on one row per user (sorted by user_id) and one column per feature (sorted by name)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    labels = labels.astype(bool).astype(int)
    features = list(matrix.columns)
    users, positives = len(matrix), int(labels.sum())
    if users == 0 or labels.nunique() < 2:
        coefficients = [np.nan] * (len(features) + 1)
        means, scales = [0.0] + [np.nan] * len(features), [1.0] + [np.nan] * len(features)
    else:
        # row-major whatever the frame's layout: numpy sums a column in another order otherwise (1e-14 apart)
        values = np.ascontiguousarray(matrix.to_numpy(dtype=float))
        scaler = StandardScaler().fit(values)
        model = LogisticRegression(**SETTINGS).fit(scaler.transform(values), labels.to_numpy())
        coefficients = [float(model.intercept_[0]), *map(float, model.coef_[0])]
        means, scales = [0.0, *map(float, scaler.mean_)], [1.0, *map(float, scaler.scale_)]
    return pd.DataFrame(
        {
            "feature": [INTERCEPT, *features],
            "feature_mean": means,
            "feature_scale": scales,
            "coefficient": coefficients,
            "fitted_users": users,
            "positive_users": positives,
        }
    )
