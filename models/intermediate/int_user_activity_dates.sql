-- The activity dates of each registered user (SPEC §8): the UTC dates of
-- registration, of events (as the stitched person), of valid orders and of
-- feedback, up to as_of_date; one row per user and date.
with

users as (
    select
        user_id,
        cast(registered_at as date) as activity_date
    from {{ ref('stg_users') }}
),

person_days as (
    select
        person_days.person_id as user_id,
        person_days.activity_date
    from {{ ref('int_person_days') }} as person_days
    inner join {{ ref('stg_users') }} as registered on person_days.person_id = registered.user_id
),

valid_orders as (
    select
        user_id,
        order_date as activity_date
    from {{ ref('int_order_facts') }}
    where is_valid
),

feedback as (
    select
        user_id,
        cast(submitted_at as date) as activity_date
    from {{ ref('stg_feedback') }}
),

all_dates as (
    select
        user_id,
        activity_date
    from users
    union
    select
        user_id,
        activity_date
    from person_days
    union
    select
        user_id,
        activity_date
    from valid_orders
    union
    select
        user_id,
        activity_date
    from feedback
)

select
    user_id,
    activity_date
from all_dates
where activity_date <= {{ as_of_date() }}
