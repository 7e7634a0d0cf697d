-- The journey (用户旅程, SPEC §8) of every user registered by as_of_date: the
-- first time each stage was reached (records are cut at as_of_date):
--   1 reached       first event (stitched)
--   2 registered    registration
--   3 activated     first search, add_to_cart or app_open at or after registration
--   4 purchased     first valid order (成交)
--   5 used          first activity (event, valid order or feedback) after the first purchase
--   6 gave_feedback first feedback (反馈)
--   7 repurchased   second valid order (复购)
--   8 referred      first registration of a user they invited (裂变)
-- A stage may be reached without the ones before it (no event before a
-- purchase, say); timestamps are kept as observed. furthest_stage_order is
-- the last stage of the unbroken run of reached stages from stage 1 (null
-- when stage 1, an event, is missing); highest_stage_order is the highest
-- stage reached in any order.
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
),

stages as (
    select
        users.user_id,
        first_events.reached_at,
        users.registered_at,
        first_events.activated_at,
        orders.purchased_at,
        used.used_at,
        first_feedback.gave_feedback_at,
        orders.repurchased_at,
        first_referral.referred_at
    from users
    left join first_events on users.user_id = first_events.user_id
    left join orders on users.user_id = orders.user_id
    left join used on users.user_id = used.user_id
    left join first_feedback on users.user_id = first_feedback.user_id
    left join first_referral on users.user_id = first_referral.user_id
)

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
    case
        when reached_at is null then null
        when registered_at is null then 1
        when activated_at is null then 2
        when purchased_at is null then 3
        when used_at is null then 4
        when gave_feedback_at is null then 5
        when repurchased_at is null then 6
        when referred_at is null then 7
        else 8
    end as furthest_stage_order,
    case
        when referred_at is not null then 8
        when repurchased_at is not null then 7
        when gave_feedback_at is not null then 6
        when used_at is not null then 5
        when purchased_at is not null then 4
        when activated_at is not null then 3
        when registered_at is not null then 2
        when reached_at is not null then 1
    end as highest_stage_order
from stages
