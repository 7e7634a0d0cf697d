-- ID-Mapping (docs/rules/identity-and-sessions.md): every device / cookie (anonymous_id) seen with a
-- user_id up to as_of_date, mapped to the user most recently seen with it
-- (ties on time go to the highest event_id, so the map is the same on every
-- build). A device seen with more than var max_users_per_device distinct
-- users is shared (a shop's tablet, a tracking bug): it maps to nobody.
with

identified_events as (
    select
        anonymous_id,
        user_id,
        event_time,
        event_id
    from {{ ref('int_events_as_of') }}
    where user_id is not null
),

devices as (
    select
        anonymous_id,
        count(distinct user_id) as distinct_users,
        count(*) as identified_events,
        min(event_time) as first_identified_at,
        max(event_time) as last_identified_at,
        {{ last_value_by('user_id', 'event_time, event_id') }} as last_user_id
    from identified_events
    group by anonymous_id
)

select
    anonymous_id,
    case when distinct_users <= {{ var('max_users_per_device') }} then last_user_id end as user_id,
    last_user_id,
    distinct_users,
    distinct_users > {{ var('max_users_per_device') }} as is_shared,
    identified_events,
    first_identified_at,
    last_identified_at
from devices
