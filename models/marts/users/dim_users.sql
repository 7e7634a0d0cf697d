-- The user profile (用户画像, docs/rules/user-profile.md): one row per registered user, as of
-- as_of_date, assembled from the per-user summaries (models/intermediate/
-- profile) and the user-grain marts; each measure is defined where it is
-- computed. Personal data only hashed or masked.
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
        users_invited,
        email_hash,
        email_masked,
        phone_hash,
        phone_masked
    from {{ ref('int_user_attributes') }}
),

-- tags ---------------------------------------------------------------------
user_tag_lists as (
    select
        user_id,
        {{ dbt.listagg('tag_id', "', '", 'order by tag_id') }} as tags
    from {{ ref('user_tags') }}
    group by user_id
),

user_audience_lists as (
    select
        user_id,
        {{ dbt.listagg('audience_id', "', '", 'order by audience_id') }} as audiences
    from {{ ref('audience_members') }}
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
    activity.first_touch_channel,
    users.inviter_user_id,
    -- activity
    activity.first_seen_at,
    activity.last_seen_at,
    coalesce(activity.active_days_7d, 0) as active_days_7d,
    coalesce(activity.active_days_30d, 0) as active_days_30d,
    coalesce(activity.active_days_90d, 0) as active_days_90d,
    coalesce(activity.sessions_7d, 0) as sessions_7d,
    coalesce(activity.sessions_30d, 0) as sessions_30d,
    coalesce(activity.sessions_90d, 0) as sessions_90d,
    coalesce(activity.total_sessions, 0) as total_sessions,
    coalesce(activity.total_pv, 0) as total_pv,
    activity.avg_session_duration_seconds,
    activity.preferred_device,
    activity.preferred_hour,
    activity.preferred_category,
    -- commerce
    coalesce(orders.valid_orders, 0) as valid_orders,
    coalesce(orders.revenue, cast(0 as decimal(18, 2))) as revenue,
    orders.aov,
    orders.first_order_at,
    orders.last_order_at,
    orders.avg_days_between_orders,
    orders.refund_rate,
    orders.discount_share,
    coalesce(orders.revenue, cast(0 as decimal(18, 2))) as ltv,
    -- feedback and referral
    coalesce(feedback.feedback_count, 0) as feedback_count,
    feedback.avg_rating,
    feedback.nps_class,
    users.users_invited,
    -- membership
    membership.points_365d,
    membership.lifetime_points,
    membership.tier as membership_tier,
    -- layers, lifecycle, journey, churn, tags and audiences
    rfm.rfm_code,
    rfm.segment as rfm_segment,
    rfm.layer as rfm_layer,
    rfm.layer_zh as rfm_layer_zh,
    lifecycle.lifecycle_status,
    journey.furthest_stage as journey_stage,
    churn.risk_level as churn_risk,
    churn.reasons as churn_reasons,
    user_tag_lists.tags,
    user_audience_lists.audiences,
    -- predicted value (buyers only)
    predicted.p_alive,
    predicted.predicted_value,
    as_of.as_of_date
from users
cross join as_of
left join {{ ref('int_user_activity_summary') }} as activity on users.user_id = activity.user_id
left join {{ ref('int_user_order_summary') }} as orders on users.user_id = orders.user_id
left join {{ ref('int_user_feedback_summary') }} as feedback on users.user_id = feedback.user_id
left join {{ ref('user_membership') }} as membership on users.user_id = membership.user_id
left join {{ ref('int_user_lifecycle') }} as lifecycle on users.user_id = lifecycle.user_id
left join user_tag_lists on users.user_id = user_tag_lists.user_id
left join user_audience_lists on users.user_id = user_audience_lists.user_id
left join {{ ref('user_rfm') }} as rfm on users.user_id = rfm.user_id
left join {{ ref('user_journey') }} as journey on users.user_id = journey.user_id
left join {{ ref('user_churn_warning') }} as churn on users.user_id = churn.user_id
left join {{ ref('user_predicted_value') }} as predicted on users.user_id = predicted.user_id
