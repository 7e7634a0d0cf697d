-- Event retention by week: cohort = the week of a person's first
-- retention_start_event; a person is retained at week offset k with a
-- retention_return_event on a day of week cohort + k, on or after the day of
-- that first start event; rate = retained persons / cohort size. One row per
-- cohort and k up to the week of as_of_date, zeros included.
with

chosen_event_days as (
    select
        person_id,
        activity_date,
        event_type
    from {{ ref('int_person_event_days') }}
    where event_type in ({{ sql_values([var('retention_start_event'), var('retention_return_event')]) }})
),

cohorts as (
    select
        person_id,
        min(activity_date) as first_start_date,
        cast({{ dbt.date_trunc('week', 'min(activity_date)') }} as date) as cohort_start
    from chosen_event_days
    where event_type = {{ sql_values([var('retention_start_event')]) }}
    group by person_id
),

return_weeks as (
    select distinct
        cohorts.cohort_start,
        cohorts.person_id,
        cast({{ dbt.date_trunc('week', 'chosen_event_days.activity_date') }} as date) as activity_start
    from cohorts
    inner join chosen_event_days
        on
            cohorts.person_id = chosen_event_days.person_id
            and cohorts.first_start_date <= chosen_event_days.activity_date
    where chosen_event_days.event_type = {{ sql_values([var('retention_return_event')]) }}
),

retained as (
    select
        cohort_start,
        activity_start,
        count(*) as retained
    from return_weeks
    group by cohort_start, activity_start
),

{{ retention_by_offset('week', 'retained_persons', [
    'cast(' ~ sql_values([var('retention_start_event')]) ~ ' as ' ~ dbt.type_string() ~ ') as start_event_type',
    'cast(' ~ sql_values([var('retention_return_event')]) ~ ' as ' ~ dbt.type_string() ~ ') as return_event_type',
]) }}
