-- Membership per registered user on as_of_date (docs/rules/membership.md): points earned in
-- the last 365 days (as_of_date − 365 < day <= as_of_date) decide the tier
-- (seed membership_tiers); lifetime points are all points up to as_of_date.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

users as (
    select user_id from {{ ref('int_user_attributes') }}
),

tiers as (
    select
        tier,
        tier_name_zh,
        tier_order,
        min_points
    from {{ ref('membership_tiers') }}
),

points as (
    select
        ledger.user_id,
        sum(ledger.points) as lifetime_points,
        sum(
            case
                when ledger.earned_on > cast({{ dbt.dateadd('day', -365, 'as_of.as_of_date') }} as date)
                    then ledger.points
                else 0
            end
        ) as points_365d
    from {{ ref('int_points_ledger') }} as ledger
    cross join as_of
    group by ledger.user_id
),

member_points as (
    select
        users.user_id,
        coalesce(points.lifetime_points, 0) as lifetime_points,
        coalesce(points.points_365d, 0) as points_365d
    from users
    left join points on users.user_id = points.user_id
),

reached_tiers as (
    select
        member_points.user_id,
        tiers.tier,
        tiers.tier_name_zh,
        tiers.tier_order,
        row_number() over (partition by member_points.user_id order by tiers.tier_order desc) as tier_rank
    from member_points
    inner join tiers on member_points.points_365d >= tiers.min_points
),

current_tiers as (
    select
        user_id,
        tier,
        tier_name_zh,
        tier_order
    from reached_tiers
    where tier_rank = 1
)

select
    member_points.user_id,
    cast(member_points.points_365d as bigint) as points_365d,
    cast(member_points.lifetime_points as bigint) as lifetime_points,
    current_tiers.tier,
    current_tiers.tier_name_zh,
    next_tiers.tier as next_tier,
    cast(next_tiers.min_points - member_points.points_365d as bigint) as points_to_next_tier,
    as_of.as_of_date
from member_points
cross join as_of
left join current_tiers on member_points.user_id = current_tiers.user_id
left join tiers as next_tiers on coalesce(current_tiers.tier_order, 0) + 1 = next_tiers.tier_order
