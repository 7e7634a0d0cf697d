-- How far each session got down the session funnel (docs/rules/operating-metrics.md), whose steps
-- are the rows of seed funnel_steps: a session reaches a step when it holds
-- that step's event type and reached every earlier step (order within the
-- session is not required). Sessions reaching no step are not listed.
with

steps as (
    select
        step_order,
        event_type
    from {{ ref('funnel_steps') }}
),

session_steps as (
    select distinct
        events.session_id,
        steps.step_order
    from {{ ref('int_events_sessionized') }} as events
    inner join steps on events.event_type = steps.event_type
),

-- steps held from step 1 without a gap: the k-th step held is step k
ranked_steps as (
    select
        session_id,
        step_order,
        row_number() over (partition by session_id order by step_order) as held_rank
    from session_steps
)

select
    session_id,
    max(step_order) as furthest_step_order
from ranked_steps
where step_order = held_rank
group by session_id
