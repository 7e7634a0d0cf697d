-- Operating metrics per week (SPEC §5); see macros/operating_metrics.sql.
{{ operating_metrics('week') }}
