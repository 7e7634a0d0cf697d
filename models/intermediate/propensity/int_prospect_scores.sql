-- The probability of a first valid order within var prospect_horizon_days of
-- every user of both snapshots of int_prospect_snapshots (docs/prospects.md),
-- as scikit-learn's predict_proba computes it, summed in exact decimals.
{{ propensity_scores('int_prospect_coefficients', 'int_prospect_snapshots', 'is_first_buyer', 'purchase_probability') }}
