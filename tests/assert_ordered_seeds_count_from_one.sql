-- The ordered seeds count from 1 without gaps (funnel steps and journey
-- stages: "reached every earlier step" relies on it), and every funnel step
-- names a known event type (var known_event_types). Returns each offending row.
with

ordered_rows as (
    select
        'funnel_steps' as seed,
        step as row_key,
        step_order as row_order,
        row_number() over (order by step_order) as expected_order
    from {{ ref('funnel_steps') }}
    union all
    select
        'journey_stages' as seed,
        stage as row_key,
        stage_order as row_order,
        row_number() over (order by stage_order) as expected_order
    from {{ ref('journey_stages') }}
)

select
    seed,
    row_key,
    'order ' || cast(row_order as {{ dbt.type_string() }}) || ' should be '
    || cast(expected_order as {{ dbt.type_string() }}) as problem
from ordered_rows
where row_order != expected_order
union all
select
    'funnel_steps' as seed,
    step as row_key,
    'event_type ' || event_type || ' is not in var known_event_types' as problem
from {{ ref('funnel_steps') }}
where event_type not in ({{ sql_values(var('known_event_types')) }})
