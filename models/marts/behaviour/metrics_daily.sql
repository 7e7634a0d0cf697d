-- Operating metrics per day (SPEC §5); see macros/operating_metrics.sql.
{{ operating_metrics('day') }}
