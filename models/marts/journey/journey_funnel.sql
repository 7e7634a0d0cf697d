-- Persons per journey stage (docs/rules/journey-and-lifecycle.md): persons are stitched, so visitors who
-- never registered (by as_of_date) count at reached. Per group and stage:
-- persons_in_order reached this stage and every earlier one (so it never
-- rises from one stage to the next); persons_any_order reached this stage
-- whatever came before. step_conversion and overall_conversion are of the
-- in-order counts: over the previous stage, and over stage 1 (reached).
-- Groups: overall; signup month (visitors: 'not registered'); channel group
-- of the person's first session ('none' without a session).
with

users as (
    select
        user_id,
        registration_date
    from {{ ref('int_users_as_of') }}
),

user_journeys as (
    select
        user_id,
        furthest_stage_order
    from {{ ref('int_user_journey') }}
),

-- not exists, not `not in`: PostgreSQL runs a `not in` whose list outgrows
-- work_mem once per row (minutes at 100k users)
visitors as (
    select distinct person_days.person_id
    from {{ ref('int_person_days') }} as person_days
    where not exists (
        select 1 from users
        where users.user_id = person_days.person_id
    )
),

first_sessions as (
    select
        person_id,
        {{ last_value_by('channel_group', 'started_at, session_id', first=true) }} as first_touch_channel
    from {{ ref('fct_sessions') }}
    group by person_id
),

stages as (
    select
        stage_order,
        stage,
        stage_zh
    from {{ ref('journey_stages') }}
),

-- one row per person and stage reached, whatever the order
person_stages as (
    select
        journey_stages.user_id as person_id,
        stages.stage_order,
        coalesce(user_journeys.furthest_stage_order >= stages.stage_order, false) as is_in_order
    from {{ ref('int_user_journey_stages') }} as journey_stages
    inner join stages on journey_stages.journey_stage = stages.stage
    inner join user_journeys on journey_stages.user_id = user_journeys.user_id
    union all
    -- visitors, with events but no registration, reached the stage reached only
    select
        visitors.person_id,
        stages.stage_order,
        true as is_in_order
    from visitors
    inner join stages on stages.stage = 'reached'
),

persons as (
    select
        user_id as person_id,
        cast({{ dbt.date_trunc('month', 'registration_date') }} as date) as signup_month
    from users
    union all
    select
        person_id,
        null as signup_month
    from visitors
),

-- the groups each person counts in
person_groups as (
    select
        person_id,
        'overall' as dimension,
        'all' as dimension_value
    from persons
    union all
    select
        person_id,
        'signup_month' as dimension,
        coalesce(cast(signup_month as {{ dbt.type_string() }}), 'not registered') as dimension_value
    from persons
    union all
    select
        persons.person_id,
        'first_touch_channel' as dimension,
        coalesce(first_sessions.first_touch_channel, 'none') as dimension_value
    from persons
    left join first_sessions on persons.person_id = first_sessions.person_id
),

stage_persons as (
    select
        person_groups.dimension,
        person_groups.dimension_value,
        person_stages.stage_order,
        count(*) as persons_any_order,
        sum(case when person_stages.is_in_order then 1 else 0 end) as persons_in_order
    from person_groups
    inner join person_stages on person_groups.person_id = person_stages.person_id
    group by person_groups.dimension, person_groups.dimension_value, person_stages.stage_order
),

groups as (
    select distinct
        dimension,
        dimension_value
    from person_groups
),

funnel as (
    select
        groups.dimension,
        groups.dimension_value,
        stages.stage_order,
        stages.stage,
        stages.stage_zh,
        coalesce(stage_persons.persons_in_order, 0) as persons_in_order,
        coalesce(stage_persons.persons_any_order, 0) as persons_any_order
    from groups
    cross join stages
    left join stage_persons
        on
            groups.dimension = stage_persons.dimension
            and groups.dimension_value = stage_persons.dimension_value
            and stages.stage_order = stage_persons.stage_order
)

select
    dimension || '|' || dimension_value || '|' || stage as funnel_row_id,
    dimension,
    dimension_value,
    stage_order,
    stage,
    stage_zh,
    cast(persons_in_order as bigint) as persons_in_order,
    cast(persons_any_order as bigint) as persons_any_order,
    {{ funnel_conversion('persons_in_order', 'dimension, dimension_value', 'stage_order') }} as step_conversion,
    {{ funnel_conversion('persons_in_order', 'dimension, dimension_value', 'stage_order', overall=true) }}
        as overall_conversion
from funnel
