-- The session funnel per day and channel group (docs/rules/operating-metrics.md), one row per step
-- of seed funnel_steps (page_view → add_to_cart → checkout → purchase by
-- default): sessions that reached the step in int_session_funnel, with step
-- conversion (over the step before) and overall conversion (over step 1).
-- Sessions belong to the day of their first event; only day × channel pairs
-- with sessions are listed, each with every step.
with

sessions as (
    select
        sessions.session_date,
        sessions.channel_group,
        coalesce(funnel.furthest_step_order, 0) as furthest_step_order
    from {{ ref('fct_sessions') }} as sessions
    left join {{ ref('int_session_funnel') }} as funnel on sessions.session_id = funnel.session_id
),

steps as (
    select
        step_order,
        step,
        step_zh
    from {{ ref('funnel_steps') }}
),

day_channels as (
    select
        session_date,
        channel_group,
        count(*) as sessions
    from sessions
    group by session_date, channel_group
),

reached as (
    select
        sessions.session_date,
        sessions.channel_group,
        steps.step_order,
        count(*) as sessions_reached
    from sessions
    inner join steps on sessions.furthest_step_order >= steps.step_order
    group by sessions.session_date, sessions.channel_group, steps.step_order
),

funnel as (
    select
        day_channels.session_date,
        day_channels.channel_group,
        day_channels.sessions,
        steps.step_order,
        steps.step,
        steps.step_zh,
        coalesce(reached.sessions_reached, 0) as sessions_reached
    from day_channels
    cross join steps
    left join reached
        on
            day_channels.session_date = reached.session_date
            and day_channels.channel_group = reached.channel_group
            and steps.step_order = reached.step_order
)

select
    session_date as date_day,
    channel_group,
    step_order,
    step,
    step_zh,
    cast(sessions as bigint) as sessions,
    cast(sessions_reached as bigint) as sessions_reached,
    {{ funnel_conversion('sessions_reached', 'session_date, channel_group', 'step_order') }} as step_conversion,
    {{ funnel_conversion('sessions_reached', 'session_date, channel_group', 'step_order', overall=true) }}
        as overall_conversion
from funnel
