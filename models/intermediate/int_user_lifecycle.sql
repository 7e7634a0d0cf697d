-- Lifecycle status of every registered user on as_of_date (SPEC §8), checked
-- in this order, with N = var lifecycle_new_days, A = var
-- lifecycle_active_days, D = var lifecycle_dormant_days ("days since" a date
-- = as_of_date − that date):
--   new          days since registration <= N
--   resurrected  some activity with days since <= A, and the earliest such
--                date comes more than A days after the latest activity before it
--   active       days since the last activity <= A
--   dormant      A < days since the last activity <= D
--   churned      days since the last activity > D
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

users as (
    select
        user_id,
        cast(registered_at as date) as registration_date
    from {{ ref('stg_users') }}
    where cast(registered_at as date) <= {{ as_of_date() }}
),

activity as (
    select
        activity_dates.user_id,
        activity_dates.activity_date,
        {{ days_between('activity_dates.activity_date', 'as_of.as_of_date') }} as days_since
    from {{ ref('int_user_activity_dates') }} as activity_dates
    cross join as_of
),

recent_start as (
    select
        user_id,
        min(activity_date) as first_recent_date
    from activity
    where days_since <= {{ var('lifecycle_active_days') }}
    group by user_id
),

summary as (
    select
        activity.user_id,
        max(activity.activity_date) as last_activity_date,
        min(activity.days_since) as days_since_last_activity,
        max(case when activity.activity_date < recent_start.first_recent_date then activity.activity_date end)
            as activity_before_recent_date,
        min(recent_start.first_recent_date) as first_recent_date
    from activity
    left join recent_start on activity.user_id = recent_start.user_id
    group by activity.user_id
),

measured as (
    select
        users.user_id,
        users.registration_date,
        summary.last_activity_date,
        summary.days_since_last_activity,
        summary.first_recent_date,
        summary.activity_before_recent_date,
        {{ days_between('users.registration_date', 'as_of.as_of_date') }} as days_since_registration,
        {{ days_between('summary.activity_before_recent_date', 'summary.first_recent_date') }} as comeback_gap_days
    from users
    cross join as_of
    inner join summary on users.user_id = summary.user_id
)

select
    user_id,
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
