-- ID-Mapping (SPEC §4): each device / cookie (anonymous_id) maps to the user
-- most recently seen with it, up to as_of_date, so later logins do not
-- re-attribute the past of an earlier as-of date. Ties on time go to the
-- highest event_id, so the map is the same on every build.
with

identified_events as (
    select
        anonymous_id,
        user_id,
        event_time,
        event_id
    from {{ ref('stg_events') }}
    where
        user_id is not null
        and cast(event_time as date) <= {{ as_of_date() }}
),

ranked as (
    select
        anonymous_id,
        user_id,
        event_time,
        row_number() over (
            partition by anonymous_id
            order by event_time desc, event_id desc
        ) as recency_rank
    from identified_events
)

select
    anonymous_id,
    user_id,
    event_time as last_seen_with_user_at
from ranked
where recency_rank = 1
