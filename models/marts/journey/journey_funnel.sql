-- Users per journey stage (SPEC §8), overall, by signup month and by signup
-- channel: users = users of the group who reached the stage (stages may be
-- skipped, so a step can exceed 1); step_conversion = users / users at the
-- previous stage; overall_conversion = users / the group's registered users.
with

journey as (
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
        cast({{ dbt.date_trunc('month', 'journey.registered_at') }} as date) as signup_month,
        coalesce(users.signup_channel, 'unknown') as signup_channel
    from {{ ref('int_user_journey') }} as journey
    inner join {{ ref('int_user_attributes') }} as users on journey.user_id = users.user_id
),

stages as (
    select
        stage_order,
        stage,
        stage_zh
    from {{ ref('journey_stages') }}
),

grouped_users as (
    select
        'overall' as dimension,
        'all' as dimension_value,
        journey.user_id,
        journey.reached_at,
        journey.registered_at,
        journey.activated_at,
        journey.purchased_at,
        journey.used_at,
        journey.gave_feedback_at,
        journey.repurchased_at,
        journey.referred_at
    from journey
    union all
    select
        'signup_month' as dimension,
        cast(signup_month as {{ dbt.type_string() }}) as dimension_value,
        journey.user_id,
        journey.reached_at,
        journey.registered_at,
        journey.activated_at,
        journey.purchased_at,
        journey.used_at,
        journey.gave_feedback_at,
        journey.repurchased_at,
        journey.referred_at
    from journey
    union all
    select
        'signup_channel' as dimension,
        signup_channel as dimension_value,
        journey.user_id,
        journey.reached_at,
        journey.registered_at,
        journey.activated_at,
        journey.purchased_at,
        journey.used_at,
        journey.gave_feedback_at,
        journey.repurchased_at,
        journey.referred_at
    from journey
),

stage_users as (
    select
        grouped_users.dimension,
        grouped_users.dimension_value,
        stages.stage_order,
        stages.stage,
        stages.stage_zh,
        count(*) as group_users,
        sum(
            case
                when stages.stage = 'reached' and grouped_users.reached_at is not null then 1
                when stages.stage = 'registered' and grouped_users.registered_at is not null then 1
                when stages.stage = 'activated' and grouped_users.activated_at is not null then 1
                when stages.stage = 'purchased' and grouped_users.purchased_at is not null then 1
                when stages.stage = 'used' and grouped_users.used_at is not null then 1
                when stages.stage = 'gave_feedback' and grouped_users.gave_feedback_at is not null then 1
                when stages.stage = 'repurchased' and grouped_users.repurchased_at is not null then 1
                when stages.stage = 'referred' and grouped_users.referred_at is not null then 1
                else 0
            end
        ) as users
    from grouped_users
    cross join stages
    group by
        grouped_users.dimension,
        grouped_users.dimension_value,
        stages.stage_order,
        stages.stage,
        stages.stage_zh
)

select
    dimension || '|' || dimension_value || '|' || stage as funnel_row_id,
    dimension,
    dimension_value,
    stage_order,
    stage,
    stage_zh,
    cast(users as bigint) as users,
    cast(users as double) / nullif(lag(users) over (partition by dimension, dimension_value order by stage_order), 0)
        as step_conversion,
    cast(users as double) / nullif(group_users, 0) as overall_conversion
from stage_users
