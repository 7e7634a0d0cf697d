-- The journey (用户旅程, docs/rules/journey-and-lifecycle.md) of every user registered by as_of_date: one
-- row per user and stage reached, with the first time it was reached (records
-- are cut at as_of_date). Each branch of the final union is one stage's rule,
-- labelled with its key in seed journey_stages, which holds the order
-- (tests/assert_every_journey_stage_has_a_rule.sql keeps the two in step):
--   reached       first event (stitched)
--   registered    registration
--   activated     first search, add_to_cart or app_open at or after registration
--   purchased     first valid order (成交)
--   used          first activity (event, valid order or feedback) after the first purchase
--   gave_feedback first feedback (反馈)
--   repurchased   second valid order (复购)
--   referred      first registration of a user they invited (裂变)
-- A stage may be reached without the ones before it (no event before a
-- purchase, say); timestamps are kept as observed.
with

users as (
    select
        user_id,
        registered_at,
        inviter_user_id
    from {{ ref('int_users_as_of') }}
),

events as (
    select
        events.person_id as user_id,
        events.event_time,
        events.event_type
    from {{ ref('int_events_sessionized') }} as events
    inner join users on events.person_id = users.user_id
),

valid_orders as (
    select
        orders.user_id,
        orders.ordered_at,
        orders.valid_order_number
    from {{ ref('int_order_facts') }} as orders
    inner join users on orders.user_id = users.user_id
    where orders.is_valid
),

feedback as (
    select
        feedback.user_id,
        feedback.submitted_at
    from {{ ref('int_feedback_as_of') }} as feedback
    inner join users on feedback.user_id = users.user_id
),

first_events as (
    select
        events.user_id,
        min(events.event_time) as reached_at,
        min(
            case
                when
                    events.event_type in ('search', 'add_to_cart', 'app_open')
                    and events.event_time >= users.registered_at
                    then events.event_time
            end
        ) as activated_at
    from events
    inner join users on events.user_id = users.user_id
    group by events.user_id
),

orders as (
    select
        user_id,
        min(case when valid_order_number = 1 then ordered_at end) as purchased_at,
        min(case when valid_order_number = 2 then ordered_at end) as repurchased_at
    from valid_orders
    group by user_id
),

activity_times as (
    select
        user_id,
        event_time as activity_at
    from events
    union all
    select
        user_id,
        ordered_at as activity_at
    from valid_orders
    union all
    select
        user_id,
        submitted_at as activity_at
    from feedback
),

used as (
    select
        activity_times.user_id,
        min(activity_times.activity_at) as used_at
    from activity_times
    inner join orders on activity_times.user_id = orders.user_id
    where activity_times.activity_at > orders.purchased_at
    group by activity_times.user_id
),

first_feedback as (
    select
        user_id,
        min(submitted_at) as gave_feedback_at
    from feedback
    group by user_id
),

first_referral as (
    select
        inviter_user_id as user_id,
        min(registered_at) as referred_at
    from users
    where inviter_user_id is not null and inviter_user_id != user_id
    group by inviter_user_id
)

select
    user_id,
    'reached' as journey_stage,
    reached_at
from first_events
where reached_at is not null
union all
select
    user_id,
    'registered' as journey_stage,
    registered_at as reached_at
from users
where registered_at is not null
union all
select
    user_id,
    'activated' as journey_stage,
    activated_at as reached_at
from first_events
where activated_at is not null
union all
select
    user_id,
    'purchased' as journey_stage,
    purchased_at as reached_at
from orders
where purchased_at is not null
union all
select
    user_id,
    'used' as journey_stage,
    used_at as reached_at
from used
union all
select
    user_id,
    'gave_feedback' as journey_stage,
    gave_feedback_at as reached_at
from first_feedback
union all
select
    user_id,
    'repurchased' as journey_stage,
    repurchased_at as reached_at
from orders
where repurchased_at is not null
union all
select
    first_referral.user_id,
    'referred' as journey_stage,
    first_referral.referred_at as reached_at
from first_referral
inner join users on first_referral.user_id = users.user_id
