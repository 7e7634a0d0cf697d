-- The prospect model's coefficients, one row per feature and one for the
-- intercept (docs/prospects.md), from where this engine fits them; a fit of
-- other users than int_prospect_snapshots holds fails the build.
{{ propensity_coefficients('int_prospect_fit', 'prospect_fit', 'int_prospect_snapshots', 'is_first_buyer') }}
