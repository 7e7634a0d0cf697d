-- Lifecycle status (docs/rules/journey-and-lifecycle.md) of every registered user at the end of each
-- month up to as_of_date, and on as_of_date itself (the last status_date).
-- At status date D, checked in this order, with N = var lifecycle_new_days,
-- A = var lifecycle_active_days, K = var lifecycle_dormant_days and "days
-- since" a date = D − that date, over activity dates up to D:
--   new          days since registration <= N
--   resurrected  some activity with days since <= A, and the earliest such
--                date comes more than A days after the latest activity before it
--   active       days since the last activity <= A
--   dormant      A < days since the last activity <= K
--   churned      days since the last activity > K
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

status_dates as (
    select distinct
        least(cast({{ dbt.last_day('calendar.month_start', 'month') }} as date), as_of.as_of_date) as status_date
    from {{ ref('int_calendar') }} as calendar
    cross join as_of
),

users as (
    select
        user_id,
        registration_date
    from {{ ref('int_users_as_of') }}
),

activity as (
    select
        user_id,
        activity_date,
        -- a sentinel instead of null, because last_value_by skips null values
        coalesce(
            lag(activity_date) over (partition by user_id order by activity_date),
            cast('0001-01-01' as date)
        ) as previous_activity_date
    from {{ ref('int_user_activity_dates') }}
),

user_dates as (
    select
        users.user_id,
        users.registration_date,
        status_dates.status_date
    from users
    inner join status_dates on users.registration_date <= status_dates.status_date
),

summary as (
    select
        user_dates.user_id,
        user_dates.status_date,
        min(user_dates.registration_date) as registration_date,
        max(activity.activity_date) as last_activity_date,
        min(
            case
                when
                    {{ days_between('activity.activity_date', 'user_dates.status_date') }}
                    <= {{ var('lifecycle_active_days') }}
                    then activity.activity_date
            end
        ) as first_recent_date,
        nullif(
            {{ last_value_by(
                'activity.previous_activity_date',
                'case when ' ~ days_between('activity.activity_date', 'user_dates.status_date')
                ~ ' <= ' ~ var('lifecycle_active_days') ~ ' then activity.activity_date end',
                first=true
            ) }},
            cast('0001-01-01' as date)
        ) as activity_before_recent_date
    from user_dates
    inner join activity
        on
            user_dates.user_id = activity.user_id
            and user_dates.status_date >= activity.activity_date
    group by user_dates.user_id, user_dates.status_date
),

measured as (
    select
        *,
        {{ days_between('registration_date', 'status_date') }} as days_since_registration,
        {{ days_between('last_activity_date', 'status_date') }} as days_since_last_activity,
        {{ days_between('activity_before_recent_date', 'first_recent_date') }} as comeback_gap_days
    from summary
)

select
    user_id || '|' || cast(status_date as {{ dbt.type_string() }}) as user_status_date_id,
    user_id,
    status_date,
    registration_date,
    last_activity_date,
    days_since_last_activity,
    first_recent_date,
    activity_before_recent_date,
    case
        when days_since_registration <= {{ var('lifecycle_new_days') }} then 'new'
        when comeback_gap_days > {{ var('lifecycle_active_days') }} then 'resurrected'
        when days_since_last_activity <= {{ var('lifecycle_active_days') }} then 'active'
        when days_since_last_activity <= {{ var('lifecycle_dormant_days') }} then 'dormant'
        else 'churned'
    end as lifecycle_status
from measured
