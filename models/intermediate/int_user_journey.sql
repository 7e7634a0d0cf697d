-- Every registered user's journey (docs/rules/journey-and-lifecycle.md) on one row: when each stage was
-- first reached (int_user_journey_stages), the furthest stage reached in
-- order (the last of the unbroken run of reached stages from stage 1, null
-- without stage 1) and the highest stage reached in any order. The order is
-- seed journey_stages'.
with

users as (
    select user_id
    from {{ ref('int_users_as_of') }}
),

stage_times as (
    select
        journey.user_id,
        journey.journey_stage,
        journey.reached_at,
        stage_orders.stage_order
    from {{ ref('int_user_journey_stages') }} as journey
    inner join {{ ref('journey_stages') }} as stage_orders on journey.journey_stage = stage_orders.stage
),

-- stages reached from stage 1 without a gap: the k-th stage reached is stage k
ranked_stages as (
    select
        user_id,
        journey_stage,
        reached_at,
        stage_order,
        row_number() over (partition by user_id order by stage_order) as reached_rank
    from stage_times
),

journeys as (
    select
        user_id,
        max(case when journey_stage = 'reached' then reached_at end) as reached_at,
        max(case when journey_stage = 'registered' then reached_at end) as registered_at,
        max(case when journey_stage = 'activated' then reached_at end) as activated_at,
        max(case when journey_stage = 'purchased' then reached_at end) as purchased_at,
        max(case when journey_stage = 'used' then reached_at end) as used_at,
        max(case when journey_stage = 'gave_feedback' then reached_at end) as gave_feedback_at,
        max(case when journey_stage = 'repurchased' then reached_at end) as repurchased_at,
        max(case when journey_stage = 'referred' then reached_at end) as referred_at,
        max(case when stage_order = reached_rank then stage_order end) as furthest_stage_order,
        max(stage_order) as highest_stage_order
    from ranked_stages
    group by user_id
)

select
    users.user_id,
    journeys.reached_at,
    journeys.registered_at,
    journeys.activated_at,
    journeys.purchased_at,
    journeys.used_at,
    journeys.gave_feedback_at,
    journeys.repurchased_at,
    journeys.referred_at,
    journeys.furthest_stage_order,
    journeys.highest_stage_order
from users
left join journeys on users.user_id = journeys.user_id
