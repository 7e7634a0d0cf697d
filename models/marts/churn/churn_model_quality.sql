-- How well churn_probability ranks leavers (docs/rules/churn-warning.md#churn-probability),
-- on the users of the fit snapshot kept out of the fit: one row, with recency
-- (days since the last activity date) alone as the baseline.
{{ propensity_quality(
    'int_churn_scores', 'int_churn_snapshots', 'int_churn_coefficients', 'is_churned', 'churn_probability',
    'days_since_last_activity', 'churn_horizon_days'
) }}
