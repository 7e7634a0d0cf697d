-- What the churn model learns from and scores (docs/rules/churn-warning.md#churn-probability):
-- every user registered by a snapshot day, described by what the warehouse
-- knew on that day, one row per feature (value = ln(1 + the count, days or
-- money), so that the fit and the SQL scoring read the same list). Two
-- snapshots: fit, as_of_date minus var churn_horizon_days, with the label
-- (no activity date in the horizon after it), every fifth user by user_id kept
-- out of the fit to validate it; and score, as_of_date.
{%- set features = [
    'days_since_last_activity', 'days_since_registration', 'active_days', 'recent_active_days',
    'recent_sessions', 'valid_orders', 'spend',
] %}
{%- set window = var('churn_session_window_days') %}
with

snapshots as (
    {{ propensity_snapshot_days('churn_horizon_days') }}
),

users as (
    select
        snapshots.purpose,
        snapshots.snapshot_date,
        users.user_id,
        users.registration_date
    from {{ ref('int_users_as_of') }} as users
    inner join snapshots on users.registration_date <= snapshots.snapshot_date
),

activity as (
    select
        users.purpose,
        users.user_id,
        max(case when dates.activity_date <= users.snapshot_date then dates.activity_date end) as last_activity_date,
        count(case when dates.activity_date <= users.snapshot_date then 1 end) as active_days,
        count(
            case
                when
                    dates.activity_date <= users.snapshot_date
                    and {{ days_between('dates.activity_date', 'users.snapshot_date') }} < {{ window }}
                    then 1
            end
        ) as recent_active_days,
        count(case when dates.activity_date > users.snapshot_date then 1 end) as later_active_days
    from users
    inner join {{ ref('int_user_activity_dates') }} as dates on users.user_id = dates.user_id
    group by users.purpose, users.user_id
),

orders as (
    select
        users.purpose,
        users.user_id,
        count(*) as valid_orders,
        sum(orders.amount) as spend
    from users
    inner join {{ ref('int_order_facts') }} as orders
        on users.user_id = orders.user_id and users.snapshot_date >= orders.order_date and orders.is_valid
    group by users.purpose, users.user_id
),

sessions as (
    select
        users.purpose,
        users.user_id,
        count(*) as recent_sessions
    from users
    inner join {{ ref('int_sessions') }} as sessions
        on
            users.user_id = sessions.person_id
            and users.snapshot_date >= sessions.session_date
            and {{ days_between('sessions.session_date', 'users.snapshot_date') }} < {{ window }}
    group by users.purpose, users.user_id
),

described as (
    select
        users.purpose,
        users.user_id,
        {{ days_between('activity.last_activity_date', 'users.snapshot_date') }} as days_since_last_activity,
        {{ days_between('users.registration_date', 'users.snapshot_date') }} as days_since_registration,
        activity.active_days,
        activity.recent_active_days,
        coalesce(sessions.recent_sessions, 0) as recent_sessions,
        coalesce(orders.valid_orders, 0) as valid_orders,
        coalesce(orders.spend, 0) as spend,
        case when users.purpose = 'fit' then activity.later_active_days = 0 end as is_churned,
        users.purpose = 'fit'
        and mod(row_number() over (partition by users.purpose order by users.user_id), 5) = 0 as is_validation
    from users
    inner join activity on users.purpose = activity.purpose and users.user_id = activity.user_id
    left join orders on users.purpose = orders.purpose and users.user_id = orders.user_id
    left join sessions on users.purpose = sessions.purpose and users.user_id = sessions.user_id
)

{{ propensity_feature_rows('described', features, 'is_churned') }}
