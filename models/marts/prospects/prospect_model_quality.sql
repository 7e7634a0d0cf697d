-- How well purchase_probability ranks first buyers (docs/prospects.md), on the
-- users of the fit snapshot kept out of the fit: one row, with recent activity
-- (activity dates in the last var prospect_recent_days days) alone as the baseline.
{{ propensity_quality(
    'int_prospect_scores', 'int_prospect_snapshots', 'int_prospect_coefficients', 'is_first_buyer',
    'purchase_probability', 'recent_active_days', 'prospect_horizon_days'
) }}
