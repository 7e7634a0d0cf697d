-- Cohort retention by registration week (docs/rules/journey-and-lifecycle.md at week grain); see macros/cohort_retention.sql.
{{ cohort_retention('week') }}
