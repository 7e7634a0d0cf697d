-- Cohort retention by registration week (SPEC §8 at week grain); see macros/cohort_retention.sql.
{{ cohort_retention('week') }}
