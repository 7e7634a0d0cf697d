-- The most common session paths: a session's path is the event types of its
-- first path_steps events in order, joined by ' > '; per path the sessions,
-- persons and sessions with a purchase. The paths_top_n paths with the most
-- sessions are kept (ties by path text).
with

path_events as (
    select
        session_id,
        event_sequence,
        event_type
    from {{ ref('int_device_events') }}
    where event_sequence <= {{ var('path_steps') }}
),

session_paths as (
    select
        session_id,
        {{ dbt.listagg('event_type', "' > '", 'order by event_sequence') }} as path,  -- noqa: RF04
        count(*) as path_steps
    from path_events
    group by session_id
),

paths as (
    select
        session_paths.path,
        max(session_paths.path_steps) as path_steps,
        count(*) as sessions,
        count(distinct sessions.person_id) as persons,
        sum(case when sessions.converted then 1 else 0 end) as converted_sessions
    from session_paths
    inner join {{ ref('int_sessions') }} as sessions on session_paths.session_id = sessions.session_id
    group by session_paths.path
),

ranked as (
    select
        path,
        path_steps,
        sessions,
        persons,
        converted_sessions,
        sum(sessions) over () as all_sessions,
        row_number() over (order by sessions desc, path asc) as path_rank
    from paths
)

select
    cast(path_rank as bigint) as path_rank,
    path,
    cast(path_steps as integer) as path_steps,
    cast(sessions as bigint) as sessions,
    cast(sessions as {{ type_double() }}) / all_sessions as session_share,
    cast(persons as bigint) as persons,
    cast(converted_sessions as bigint) as converted_sessions,
    cast(converted_sessions as {{ type_double() }}) / sessions as conversion_rate
from ranked
where path_rank <= {{ var('paths_top_n') }}
