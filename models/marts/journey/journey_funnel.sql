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

-- one row per user and stage the user reached
reached_stages as (
    select
        journey.user_id,
        stages.stage_order
    from journey
    cross join stages
    where
        case stages.stage
            when 'reached' then journey.reached_at
            when 'registered' then journey.registered_at
            when 'activated' then journey.activated_at
            when 'purchased' then journey.purchased_at
            when 'used' then journey.used_at
            when 'gave_feedback' then journey.gave_feedback_at
            when 'repurchased' then journey.repurchased_at
            when 'referred' then journey.referred_at
        end is not null
),

-- the groups each user counts in
user_groups as (
    select
        user_id,
        'overall' as dimension,
        'all' as dimension_value
    from journey
    union all
    select
        user_id,
        'signup_month' as dimension,
        cast(signup_month as {{ dbt.type_string() }}) as dimension_value
    from journey
    union all
    select
        user_id,
        'signup_channel' as dimension,
        signup_channel as dimension_value
    from journey
),

group_sizes as (
    select
        dimension,
        dimension_value,
        count(*) as group_users
    from user_groups
    group by dimension, dimension_value
),

stage_users as (
    select
        user_groups.dimension,
        user_groups.dimension_value,
        reached_stages.stage_order,
        count(*) as users
    from user_groups
    inner join reached_stages on user_groups.user_id = reached_stages.user_id
    group by user_groups.dimension, user_groups.dimension_value, reached_stages.stage_order
),

funnel as (
    select
        group_sizes.dimension,
        group_sizes.dimension_value,
        group_sizes.group_users,
        stages.stage_order,
        stages.stage,
        stages.stage_zh,
        coalesce(stage_users.users, 0) as users
    from group_sizes
    cross join stages
    left join stage_users
        on
            group_sizes.dimension = stage_users.dimension
            and group_sizes.dimension_value = stage_users.dimension_value
            and stages.stage_order = stage_users.stage_order
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
from funnel
