{{ config(materialized='view') }}
-- Cleaned events with their person and session (docs/rules/identity-and-sessions.md). A view over
-- int_events_sessionized, so tens of millions of events are stored once.
select
    event_id,
    session_id,
    anonymous_id,
    person_id,
    user_id,
    stitched_user_id,
    event_time,
    event_date,
    event_sequence,
    event_type,
    is_known_event_type,
    page_url,
    referrer,
    utm_source,
    utm_medium,
    utm_campaign,
    device_type,
    platform,
    search_term,
    product_id,
    category
from {{ ref('int_events_sessionized') }}
