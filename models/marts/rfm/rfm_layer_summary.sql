-- Users and revenue per RFM value layer (docs/rules/rfm.md); see macros/rfm_summary.sql.
{{ rfm_summary('layer', 'rfm_layers') }}
