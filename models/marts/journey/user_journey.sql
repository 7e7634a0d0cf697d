-- The journey (用户旅程, docs/rules/journey-and-lifecycle.md) of every user registered by as_of_date: when
-- each stage was first reached, the furthest stage reached in order (the
-- last of the unbroken run from reached), the highest reached in any order,
-- and the days (between reporting-timezone
-- dates) from each stage to the next, null when either is missing and
-- negative when the data has them out of order.
with

journey as (
    select
        user_id,
        reached_at,
        registered_at,
        activated_at,
        purchased_at,
        used_at,
        gave_feedback_at,
        repurchased_at,
        referred_at,
        furthest_stage_order,
        highest_stage_order
    from {{ ref('int_user_journey') }}
),

stages as (
    select
        stage_order,
        stage,
        stage_zh
    from {{ ref('journey_stages') }}
)

select
    journey.user_id,
    journey.reached_at,
    journey.registered_at,
    journey.activated_at,
    journey.purchased_at,
    journey.used_at,
    journey.gave_feedback_at,
    journey.repurchased_at,
    journey.referred_at,
    journey.furthest_stage_order,
    stages.stage as furthest_stage,
    stages.stage_zh as furthest_stage_zh,
    journey.highest_stage_order,
    highest_stages.stage as highest_stage,
    {{ days_between('journey.reached_at', 'journey.registered_at') }} as days_reached_to_registered,
    {{ days_between('journey.registered_at', 'journey.activated_at') }} as days_registered_to_activated,
    {{ days_between('journey.activated_at', 'journey.purchased_at') }} as days_activated_to_purchased,
    {{ days_between('journey.purchased_at', 'journey.used_at') }} as days_purchased_to_used,
    {{ days_between('journey.used_at', 'journey.gave_feedback_at') }} as days_used_to_gave_feedback,
    {{ days_between('journey.gave_feedback_at', 'journey.repurchased_at') }} as days_gave_feedback_to_repurchased,
    {{ days_between('journey.repurchased_at', 'journey.referred_at') }} as days_repurchased_to_referred
from journey
left join stages on journey.furthest_stage_order = stages.stage_order
left join stages as highest_stages on journey.highest_stage_order = highest_stages.stage_order
