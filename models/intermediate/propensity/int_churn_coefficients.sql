-- The churn model's coefficients, one row per feature and one for the
-- intercept (docs/rules/churn-warning.md#churn-probability), from where this
-- engine fits them; a fit of other users than int_churn_snapshots holds fails
-- the build instead of scoring with it.
{{ propensity_coefficients('int_churn_fit', 'churn_fit', 'int_churn_snapshots', 'is_churned') }}
