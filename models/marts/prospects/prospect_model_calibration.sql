-- Predicted against observed first orders by decile of purchase_probability
-- (docs/prospects.md), on the users of the fit snapshot kept out of the fit.
{{ propensity_calibration('int_prospect_scores', 'is_first_buyer', 'purchase_probability') }}
