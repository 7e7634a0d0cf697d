-- Operating metrics per week (docs/rules/operating-metrics.md); see macros/operating_metrics.sql.
{{ operating_metrics('week') }}
