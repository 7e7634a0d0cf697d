{{ config(materialized='view') }}
-- The users registered on or before as_of_date (docs/time-identity-money.md#time): every user-grain
-- mart covers exactly these. registration_date is the day in
-- var reporting_timezone.
with

users as (
    select
        user_id,
        registered_at,
        {{ reporting_date('registered_at') }} as registration_date,
        channel,
        gender,
        birth_date,
        city,
        email,
        phone,
        inviter_user_id
    from {{ ref('stg_users') }}
)

select users.*
from users
inner join {{ ref('int_as_of_date') }} as as_of on users.registration_date <= as_of.as_of_date
