{{ config(materialized='view') }}
-- One row per session (docs/rules/identity-and-sessions.md); a view over int_sessions.
select
    session_id,
    anonymous_id,
    person_id,
    user_id,
    started_at,
    ended_at,
    session_date,
    session_hour,
    duration_seconds,
    event_count,
    page_views,
    is_bounce,
    has_add_to_cart,
    has_checkout,
    converted,
    landing_page,
    utm_source,
    utm_medium,
    utm_campaign,
    referrer,
    channel_group,
    device_type,
    platform
from {{ ref('int_sessions') }}
