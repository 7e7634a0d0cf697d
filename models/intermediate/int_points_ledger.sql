-- Every points entry (docs/rules/membership.md) of a user registered by as_of_date (records
-- are cut at as_of_date), by the rules of seed
-- membership_rules: valid orders (per whole currency unit paid), reviews and
-- referrals (an invited user who registered earns the inviter points).
with

rules as (
    select * from {{ ref('membership_rules') }}
),

registered as (
    select
        user_id,
        inviter_user_id,
        registration_date
    from {{ ref('int_users_as_of') }}
),

earning_events as (
    select
        'valid_order' as source,
        order_id as source_id,
        user_id,
        order_date as earned_on,
        floor(amount) as currency_units
    from {{ ref('int_order_facts') }}
    where is_valid
    union all
    select
        'review' as source,
        feedback_id as source_id,
        user_id,
        submitted_date as earned_on,
        null as currency_units
    from {{ ref('int_feedback_as_of') }}
    where feedback_type = 'review'
    union all
    select
        'referral' as source,
        invitees.user_id as source_id,
        invitees.inviter_user_id as user_id,
        invitees.registration_date as earned_on,
        null as currency_units
    from registered as invitees
    inner join registered as inviters on invitees.inviter_user_id = inviters.user_id
    where invitees.user_id != invitees.inviter_user_id
)

select
    earning_events.source || ':' || earning_events.source_id as points_entry_id,
    earning_events.user_id,
    earning_events.source,
    earning_events.source_id,
    earning_events.earned_on,
    cast(
        case
            when rules.per_currency_unit then rules.points * earning_events.currency_units
            else rules.points
        end as bigint
    ) as points
from earning_events
inner join rules on earning_events.source = rules.source
where earning_events.user_id in (select registered.user_id from registered)
