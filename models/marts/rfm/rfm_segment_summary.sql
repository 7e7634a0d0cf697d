-- Users and revenue per RFM segment (SPEC §9); see macros/rfm_summary.sql.
{{ rfm_summary('segment', 'rfm_segments') }}
