-- Cohort retention (SPEC §8): cohort = calendar month of registration; month
-- offset k = months from the cohort month to the activity month (k = 0 is the
-- registration month, so its rate is 1); a user is retained at k with an
-- activity date (registration, event, valid order, feedback) in that month;
-- rate = retained users / cohort size. One row per cohort and k up to the
-- month of as_of_date, zeros included.
with

cohorts as (
    select
        user_id,
        cast({{ dbt.date_trunc('month', 'registration_date') }} as date) as cohort_month
    from {{ ref('int_users_as_of') }}
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_size
    from cohorts
    group by cohort_month
),

months as (
    select distinct month_start
    from {{ ref('int_calendar') }}
),

activity_months as (
    select distinct
        user_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as activity_month
    from {{ ref('int_user_activity_dates') }}
),

retained as (
    select
        cohorts.cohort_month,
        activity_months.activity_month,
        count(*) as retained_users
    from cohorts
    inner join activity_months on cohorts.user_id = activity_months.user_id
    where activity_months.activity_month >= cohorts.cohort_month
    group by cohorts.cohort_month, activity_months.activity_month
),

grid as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_size,
        months.month_start as activity_month,
        cast({{ dbt.datediff('cohort_sizes.cohort_month', 'months.month_start', 'month') }} as integer) as month_offset  -- noqa: LT05
    from cohort_sizes
    inner join months on cohort_sizes.cohort_month <= months.month_start
)

select
    cast(grid.cohort_month as {{ dbt.type_string() }}) || '|' || cast(grid.month_offset as {{ dbt.type_string() }})
        as cohort_offset_id,
    grid.cohort_month,
    grid.month_offset,
    grid.activity_month,
    cast(grid.cohort_size as bigint) as cohort_size,
    cast(coalesce(retained.retained_users, 0) as bigint) as retained_users,
    cast(coalesce(retained.retained_users, 0) as {{ type_double() }}) / grid.cohort_size as retention_rate
from grid
left join retained
    on
        grid.cohort_month = retained.cohort_month
        and grid.activity_month = retained.activity_month
