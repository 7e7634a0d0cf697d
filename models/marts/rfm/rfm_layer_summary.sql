-- Users and revenue per RFM value layer (SPEC §9); see macros/rfm_summary.sql.
{{ rfm_summary('layer', 'rfm_layers') }}
