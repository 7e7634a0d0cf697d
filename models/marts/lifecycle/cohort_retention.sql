-- Cohort retention by registration month (docs/rules/journey-and-lifecycle.md); see macros/cohort_retention.sql.
{{ cohort_retention('month') }}
