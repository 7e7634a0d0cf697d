-- Users per lifecycle status at the end of each month (docs/rules/journey-and-lifecycle.md); the last
-- month's status date is as_of_date. Every status is listed, zeros included.
with

history as (
    select
        status_date,
        lifecycle_status
    from {{ ref('int_user_lifecycle_history') }}
),

statuses as (
    select lifecycle_status from {{ ref('lifecycle_statuses') }}
),

status_dates as (
    select distinct status_date
    from history
),

counts as (
    select
        status_date,
        lifecycle_status,
        count(*) as users
    from history
    group by status_date, lifecycle_status
)

select
    cast(status_dates.status_date as {{ dbt.type_string() }}) || '|' || statuses.lifecycle_status as status_row_id,
    cast({{ dbt.date_trunc('month', 'status_dates.status_date') }} as date) as month_start,
    status_dates.status_date,
    statuses.lifecycle_status,
    cast(coalesce(counts.users, 0) as bigint) as users,
    cast(coalesce(counts.users, 0) as {{ type_double() }})
    / nullif(sum(coalesce(counts.users, 0)) over (partition by status_dates.status_date), 0) as user_share
from status_dates
cross join statuses
left join counts
    on
        status_dates.status_date = counts.status_date
        and statuses.lifecycle_status = counts.lifecycle_status
