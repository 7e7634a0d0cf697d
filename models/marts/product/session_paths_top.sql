-- The most common session paths: a session's path is the event types of its
-- first path_steps events in order, joined by ' > ' (int_device_sessions keeps
-- it, so a day reads no events); per path the sessions, persons and sessions
-- with a purchase. The paths_top_n paths with the most sessions are kept (ties
-- by path text).
with

paths as (
    select
        device_sessions.path,
        max(device_sessions.path_steps) as path_steps,
        count(*) as sessions,
        count(distinct sessions.person_id) as persons,
        sum(case when sessions.converted then 1 else 0 end) as converted_sessions
    from {{ ref('int_device_sessions') }} as device_sessions
    inner join {{ ref('int_sessions') }} as sessions on device_sessions.session_id = sessions.session_id
    group by device_sessions.path
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
