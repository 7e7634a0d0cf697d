-- Every event up to as_of_date with its person and its session (SPEC §4).
-- person_id = coalesce(the event's own user_id, the device's mapped user,
-- anonymous_id): an event that carries a user_id always belongs to that
-- user; a shared device maps to nobody. Per anonymous_id, a new session
-- starts when more than var session_timeout_minutes pass without an event.
-- Events at the same time are ordered by event_id, so sessions are the same
-- on every build.
with

events as (
    select * from {{ ref('int_events_as_of') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

with_gaps as (
    select
        events.*,
        lag(events.event_time) over device_timeline as previous_event_time,
        row_number() over device_timeline as device_event_number
    from events
    window device_timeline as (partition by events.anonymous_id order by events.event_time, events.event_id)
),

with_session_starts as (
    select
        *,
        case
            when previous_event_time is null then 1
            when {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_event_time') }} < event_time
                then 1
            else 0
        end as is_session_start
    from with_gaps
),

numbered as (
    select
        *,
        cast(sum(is_session_start) over device_timeline as bigint) as session_number,
        max(case when is_session_start = 1 then device_event_number end) over device_timeline
            as session_start_number
    from with_session_starts
    window device_timeline as (
        partition by anonymous_id
        order by event_time, event_id
        rows between unbounded preceding and current row
    )
)

select
    -- keys
    numbered.event_id,
    numbered.anonymous_id || ':' || cast(numbered.session_number as {{ dbt.type_string() }}) as session_id,
    numbered.anonymous_id,
    coalesce(numbered.user_id, identity_map.user_id, numbered.anonymous_id) as person_id,
    coalesce(numbered.user_id, identity_map.user_id) as stitched_user_id,
    numbered.user_id,
    -- timestamps
    numbered.event_time,
    numbered.event_date,
    -- session position
    numbered.session_number,
    numbered.device_event_number - numbered.session_start_number + 1 as event_sequence,
    -- what happened
    numbered.event_type,
    numbered.is_known_event_type,
    numbered.page_url,
    numbered.referrer,
    numbered.utm_source,
    numbered.utm_medium,
    numbered.utm_campaign,
    numbered.device_type,
    numbered.platform,
    numbered.search_term,
    numbered.product_id,
    numbered.category
from numbered
left join identity_map on numbered.anonymous_id = identity_map.anonymous_id
