-- Every event belongs to exactly one session, and each session's event_count
-- is the number of its events (docs/rules/identity-and-sessions.md). Returns the sessions that disagree
-- and a row for events without a session.
with

events_per_session as (
    select
        session_id,
        count(*) as events
    from {{ ref('fct_events') }}
    group by session_id
),

sessions as (
    select
        session_id,
        event_count
    from {{ ref('fct_sessions') }}
)

select
    coalesce(sessions.session_id, events_per_session.session_id) as session_id,
    sessions.event_count,
    events_per_session.events
from sessions
full outer join events_per_session on sessions.session_id = events_per_session.session_id
where
    sessions.session_id is null
    or events_per_session.session_id is null
    or sessions.event_count != events_per_session.events
