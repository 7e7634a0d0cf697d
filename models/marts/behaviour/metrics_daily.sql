-- Operating metrics per day (docs/rules/operating-metrics.md); see macros/operating_metrics.sql.
{{ operating_metrics('day') }}
