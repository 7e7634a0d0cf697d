-- Operating metrics per month (SPEC §5); see macros/operating_metrics.sql.
{{ operating_metrics('month') }}
