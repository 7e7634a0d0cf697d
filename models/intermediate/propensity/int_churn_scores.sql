-- The churn probability of every user of both snapshots of int_churn_snapshots
-- (docs/rules/churn-warning.md#churn-probability), as scikit-learn's
-- predict_proba computes it, summed in exact decimals.
{{ propensity_scores('int_churn_coefficients', 'int_churn_snapshots', 'is_churned', 'churn_probability') }}
