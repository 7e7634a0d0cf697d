-- Cohort retention by registration month (SPEC §8); see macros/cohort_retention.sql.
{{ cohort_retention('month') }}
