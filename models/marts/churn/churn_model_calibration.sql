-- Predicted against observed churn by decile of churn_probability
-- (docs/rules/churn-warning.md#churn-probability), on the users of the fit
-- snapshot kept out of the fit: decile 1 holds the lowest probabilities.
{{ propensity_calibration('int_churn_scores', 'is_churned', 'churn_probability') }}
