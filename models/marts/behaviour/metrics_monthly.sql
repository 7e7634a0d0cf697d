-- Operating metrics per month (docs/rules/operating-metrics.md); see macros/operating_metrics.sql.
{{ operating_metrics('month') }}
