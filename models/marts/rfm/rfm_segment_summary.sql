-- Users and revenue per RFM segment (docs/rules/rfm.md); see macros/rfm_summary.sql.
{{ rfm_summary('segment', 'rfm_segments') }}
