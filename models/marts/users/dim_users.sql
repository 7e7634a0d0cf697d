-- The user profile (用户画像, SPEC §6): one row per registered user, as of
-- as_of_date. Personal data only hashed or masked. Windows "7d/30d/90d" are
-- the last 7/30/90 days ending on as_of_date.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

users as (
    select
        user_id,
        registered_at,
        signup_channel,
        gender,
        age,
        age_band,
        city,
        inviter_user_id,
        email_hash,
        email_masked,
        phone_hash,
        phone_masked
    from {{ ref('int_user_attributes') }}
),

sessions as (
    select
        sessions.person_id as user_id,
        sessions.session_id,
        sessions.started_at,
        sessions.ended_at,
        sessions.session_date,
        sessions.session_hour,
        sessions.duration_seconds,
        sessions.device_type,
        sessions.channel_group,
        {{ days_between('sessions.session_date', 'as_of.as_of_date') }} as days_ago
    from {{ ref('int_sessions') }} as sessions
    cross join as_of
),

person_days as (
    select
        person_days.person_id as user_id,
        person_days.page_views,
        {{ days_between('person_days.activity_date', 'as_of.as_of_date') }} as days_ago
    from {{ ref('int_person_days') }} as person_days
    cross join as_of
),

orders as (
    select
        orders.user_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_valid,
        orders.amount,
        orders.discount_amount,
        orders.gross_amount
    from {{ ref('int_order_facts') }} as orders
),

feedback as (
    select
        user_id,
        submitted_at,
        rating,
        nps
    from {{ ref('int_feedback_as_of') }}
),

-- activity ---------------------------------------------------------------
session_activity as (
    select
        user_id,
        min(started_at) as first_seen_at,
        max(ended_at) as last_seen_at,
        count(*) as total_sessions,
        sum(case when days_ago < 7 then 1 else 0 end) as sessions_7d,
        sum(case when days_ago < 30 then 1 else 0 end) as sessions_30d,
        sum(case when days_ago < 90 then 1 else 0 end) as sessions_90d,
        avg(duration_seconds) as avg_session_duration_seconds
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

first_touch as (
    select
        user_id,
        channel_group as first_touch_channel,
        row_number() over (partition by user_id order by started_at, session_id) as session_rank
    from sessions
),

-- preferences: the most frequent value, ties to the smallest ----------------
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
        person_id as user_id,
        category,
        row_number() over (partition by person_id order by sum(product_events) desc, category asc)
            as preference_rank
    from {{ ref('int_person_category_days') }}
    group by person_id, category
),

-- commerce ---------------------------------------------------------------
commerce as (
    select
        user_id,
        sum(case when is_valid then 1 else 0 end) as valid_orders,
        sum(case when is_valid then amount else 0 end) as revenue,
        min(case when is_valid then ordered_at end) as first_order_at,
        max(case when is_valid then ordered_at end) as last_order_at,
        min(case when is_valid then order_date end) as first_order_date,
        max(case when is_valid then order_date end) as last_order_date,
        sum(case when status = 'refunded' then 1 else 0 end) as refunded_orders,
        sum(case when is_valid or status = 'refunded' then 1 else 0 end) as paid_orders,
        sum(case when is_valid then discount_amount else 0 end) as discount_total,
        sum(case when is_valid then gross_amount else 0 end) as gross_total
    from orders
    group by user_id
),

-- feedback and referral ----------------------------------------------------
feedback_summary as (
    select
        user_id,
        count(*) as feedback_count,
        avg(rating) as avg_rating
    from feedback
    group by user_id
),

latest_nps as (
    select
        user_id,
        nps,
        row_number() over (partition by user_id order by submitted_at desc) as answer_rank
    from feedback
    where nps is not null
),

referrals as (
    select
        inviter_user_id as user_id,
        count(*) as users_invited
    from users
    where inviter_user_id is not null
    group by inviter_user_id
),

-- tags ---------------------------------------------------------------------
user_tag_lists as (
    select
        user_id,
        {{ dbt.listagg('tag_id', "', '", 'order by tag_id') }} as tags
    from {{ ref('user_tags') }}
    group by user_id
)

select
    -- identity
    users.user_id,
    users.email_hash,
    users.email_masked,
    users.phone_hash,
    users.phone_masked,
    -- demographics
    users.gender,
    cast(users.age as integer) as age,
    users.age_band,
    users.city,
    -- acquisition
    users.registered_at,
    users.signup_channel,
    first_touch.first_touch_channel,
    users.inviter_user_id,
    -- activity
    session_activity.first_seen_at,
    session_activity.last_seen_at,
    cast(coalesce(day_activity.active_days_7d, 0) as bigint) as active_days_7d,
    cast(coalesce(day_activity.active_days_30d, 0) as bigint) as active_days_30d,
    cast(coalesce(day_activity.active_days_90d, 0) as bigint) as active_days_90d,
    cast(coalesce(session_activity.sessions_7d, 0) as bigint) as sessions_7d,
    cast(coalesce(session_activity.sessions_30d, 0) as bigint) as sessions_30d,
    cast(coalesce(session_activity.sessions_90d, 0) as bigint) as sessions_90d,
    cast(coalesce(session_activity.total_sessions, 0) as bigint) as total_sessions,
    cast(coalesce(day_activity.total_pv, 0) as bigint) as total_pv,
    cast(session_activity.avg_session_duration_seconds as double) as avg_session_duration_seconds,
    device_counts.device_type as preferred_device,
    hour_counts.session_hour as preferred_hour,
    category_counts.category as preferred_category,
    -- commerce
    cast(coalesce(commerce.valid_orders, 0) as bigint) as valid_orders,
    cast(coalesce(commerce.revenue, 0) as decimal(18, 2)) as revenue,
    cast(commerce.revenue as double) / nullif(commerce.valid_orders, 0) as aov,
    commerce.first_order_at,
    commerce.last_order_at,
    cast({{ days_between('commerce.first_order_date', 'commerce.last_order_date') }} as double)
    / nullif(commerce.valid_orders - 1, 0) as avg_days_between_orders,
    cast(commerce.refunded_orders as double) / nullif(commerce.paid_orders, 0) as refund_rate,
    cast(commerce.discount_total as double) / nullif(commerce.gross_total, 0) as discount_share,
    cast(coalesce(commerce.revenue, 0) as decimal(18, 2)) as ltv,
    -- feedback and referral
    cast(coalesce(feedback_summary.feedback_count, 0) as bigint) as feedback_count,
    cast(feedback_summary.avg_rating as double) as avg_rating,
    case
        when latest_nps.nps >= 9 then 'promoter'
        when latest_nps.nps >= 7 then 'passive'
        when latest_nps.nps >= 0 then 'detractor'
    end as nps_class,
    cast(coalesce(referrals.users_invited, 0) as bigint) as users_invited,
    -- membership
    membership.points_365d,
    membership.lifetime_points,
    membership.tier as membership_tier,
    -- layers, lifecycle, journey, churn and tags
    rfm.rfm_code,
    rfm.segment as rfm_segment,
    rfm.layer as rfm_layer,
    rfm.layer_zh as rfm_layer_zh,
    lifecycle.lifecycle_status,
    journey.furthest_stage as journey_stage,
    churn.risk_level as churn_risk,
    churn.reasons as churn_reasons,
    user_tag_lists.tags,
    as_of.as_of_date
from users
cross join as_of
left join session_activity on users.user_id = session_activity.user_id
left join day_activity on users.user_id = day_activity.user_id
left join first_touch on users.user_id = first_touch.user_id and first_touch.session_rank = 1
left join device_counts on users.user_id = device_counts.user_id and device_counts.preference_rank = 1
left join hour_counts on users.user_id = hour_counts.user_id and hour_counts.preference_rank = 1
left join category_counts on users.user_id = category_counts.user_id and category_counts.preference_rank = 1
left join commerce on users.user_id = commerce.user_id
left join feedback_summary on users.user_id = feedback_summary.user_id
left join latest_nps on users.user_id = latest_nps.user_id and latest_nps.answer_rank = 1
left join referrals on users.user_id = referrals.user_id
left join {{ ref('user_membership') }} as membership on users.user_id = membership.user_id
left join {{ ref('int_user_lifecycle') }} as lifecycle on users.user_id = lifecycle.user_id
left join user_tag_lists on users.user_id = user_tag_lists.user_id
left join {{ ref('user_rfm') }} as rfm on users.user_id = rfm.user_id
left join {{ ref('user_journey') }} as journey on users.user_id = journey.user_id
left join {{ ref('user_churn_warning') }} as churn on users.user_id = churn.user_id
