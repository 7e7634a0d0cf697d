-- Per registered user with any event up to as_of_date: the activity measures
-- of the profile (docs/rules/user-profile.md), each defined once. Windows "7d/30d/90d" are the
-- last 7/30/90 days ending on as_of_date; preferences are the most frequent
-- value, ties to the smallest.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

users as (
    select user_id
    from {{ ref('int_users_as_of') }}
),

sessions as (
    select
        sessions.person_id as user_id,
        sessions.session_id,
        sessions.started_at,
        sessions.ended_at,
        sessions.session_hour,
        sessions.duration_seconds,
        sessions.device_type,
        sessions.channel_group,
        {{ days_between('sessions.session_date', 'as_of.as_of_date') }} as days_ago
    from {{ ref('int_sessions') }} as sessions
    inner join users on sessions.person_id = users.user_id
    cross join as_of
),

person_days as (
    select
        person_days.person_id as user_id,
        person_days.page_views,
        {{ days_between('person_days.activity_date', 'as_of.as_of_date') }} as days_ago
    from {{ ref('int_person_days') }} as person_days
    inner join users on person_days.person_id = users.user_id
    cross join as_of
),

session_activity as (
    select
        user_id,
        min(started_at) as first_seen_at,
        max(ended_at) as last_seen_at,
        count(*) as total_sessions,
        sum(case when days_ago < 7 then 1 else 0 end) as sessions_7d,
        sum(case when days_ago < 30 then 1 else 0 end) as sessions_30d,
        sum(case when days_ago < 90 then 1 else 0 end) as sessions_90d,
        avg(duration_seconds) as avg_session_duration_seconds,
        {{ last_value_by('channel_group', 'started_at, session_id', first=true) }} as first_touch_channel
    from sessions
    group by user_id
),

day_activity as (
    select
        user_id,
        sum(page_views) as total_pv,
        sum(case when days_ago < 7 then 1 else 0 end) as active_days_7d,
        sum(case when days_ago < 30 then 1 else 0 end) as active_days_30d,
        sum(case when days_ago < 90 then 1 else 0 end) as active_days_90d
    from person_days
    group by user_id
),

device_counts as (
    select
        user_id,
        device_type,
        row_number() over (partition by user_id order by count(*) desc, device_type asc) as preference_rank
    from sessions
    where device_type is not null
    group by user_id, device_type
),

hour_counts as (
    select
        user_id,
        session_hour,
        row_number() over (partition by user_id order by count(*) desc, session_hour asc) as preference_rank
    from sessions
    group by user_id, session_hour
),

category_counts as (
    select
        category_days.person_id as user_id,
        category_days.category,
        row_number() over (
            partition by category_days.person_id
            order by sum(category_days.product_events) desc, category_days.category asc
        ) as preference_rank
    from {{ ref('int_person_category_days') }} as category_days
    inner join users on category_days.person_id = users.user_id
    group by category_days.person_id, category_days.category
)

select
    day_activity.user_id,
    session_activity.first_seen_at,
    session_activity.last_seen_at,
    cast(day_activity.active_days_7d as bigint) as active_days_7d,
    cast(day_activity.active_days_30d as bigint) as active_days_30d,
    cast(day_activity.active_days_90d as bigint) as active_days_90d,
    cast(coalesce(session_activity.sessions_7d, 0) as bigint) as sessions_7d,
    cast(coalesce(session_activity.sessions_30d, 0) as bigint) as sessions_30d,
    cast(coalesce(session_activity.sessions_90d, 0) as bigint) as sessions_90d,
    cast(coalesce(session_activity.total_sessions, 0) as bigint) as total_sessions,
    cast(day_activity.total_pv as bigint) as total_pv,
    cast(session_activity.avg_session_duration_seconds as {{ type_double() }}) as avg_session_duration_seconds,
    session_activity.first_touch_channel,
    device_counts.device_type as preferred_device,
    hour_counts.session_hour as preferred_hour,
    category_counts.category as preferred_category
from day_activity
left join session_activity on day_activity.user_id = session_activity.user_id
left join device_counts on day_activity.user_id = device_counts.user_id and device_counts.preference_rank = 1
left join hour_counts on day_activity.user_id = hour_counts.user_id and hour_counts.preference_rank = 1
left join category_counts on day_activity.user_id = category_counts.user_id and category_counts.preference_rank = 1
