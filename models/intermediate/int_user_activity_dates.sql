-- The activity dates of each user registered by as_of_date (docs/rules/journey-and-lifecycle.md): the
-- days (in var reporting_timezone) of registration, of events (as the
-- stitched person), of valid orders and of feedback, all cut at as_of_date;
-- one row per user and date.
with

users as (
    select
        user_id,
        registration_date as activity_date
    from {{ ref('int_users_as_of') }}
),

person_days as (
    select
        person_days.person_id as user_id,
        person_days.activity_date
    from {{ ref('int_person_days') }} as person_days
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
        submitted_date as activity_date
    from {{ ref('int_feedback_as_of') }}
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
where user_id in (select users.user_id from users)
