-- One row per user registered by as_of_date with the profile's demographics (docs/rules/user-profile.md):
-- age and age band on as_of_date (seed age_bands), and personal data only as
-- a salted hash and a display mask. Clear email, phone and birth date stop here.
with

users as (
    select * from {{ ref('int_users_as_of') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

aged as (
    select
        users.*,
        case
            when users.birth_date <= {{ as_of_date() }}
                then {{ age_in_years('users.birth_date', as_of_date()) }}
        end as age
    from users
),

referrals as (
    select
        inviter_user_id as user_id,
        count(*) as users_invited
    from users
    where inviter_user_id is not null
    group by inviter_user_id
)

select
    aged.user_id,
    aged.registered_at,
    aged.channel as signup_channel,
    aged.gender,
    aged.age,
    age_bands.age_band,
    aged.city,
    aged.inviter_user_id,
    cast(coalesce(referrals.users_invited, 0) as bigint) as users_invited,
    {{ pii_hash('aged.email') }} as email_hash,
    {{ mask_email('aged.email') }} as email_masked,
    {{ pii_hash('aged.phone') }} as phone_hash,
    {{ mask_phone('aged.phone') }} as phone_masked
from aged
left join referrals on aged.user_id = referrals.user_id
left join age_bands
    on
        aged.age >= age_bands.min_age
        and (age_bands.max_age is null or aged.age <= age_bands.max_age)
