{{ config(materialized='view') }}
-- Every event up to as_of_date with its person and its session (docs/rules/identity-and-sessions.md).
-- person_id = coalesce(the event's own user_id, the device's mapped user,
-- anonymous_id): an event that carries a user_id always belongs to that
-- user; a shared device maps to nobody. A view: the identity map changes
-- the person of old events (a device logging in re-attributes its earlier
-- sessions), so the person is joined when read, never stored with the event.
select
    -- keys
    events.event_id,
    events.session_id,
    events.anonymous_id,
    coalesce(events.user_id, identity_map.user_id, events.anonymous_id) as person_id,
    coalesce(events.user_id, identity_map.user_id) as stitched_user_id,
    events.user_id,
    -- timestamps
    events.event_time,
    events.event_date,
    -- session position
    events.session_number,
    events.event_sequence,
    -- what happened
    events.event_type,
    events.is_known_event_type,
    events.page_url,
    events.referrer,
    events.utm_source,
    events.utm_medium,
    events.utm_campaign,
    events.device_type,
    events.platform,
    events.search_term,
    events.product_id,
    events.category
from {{ ref('int_device_events') }} as events
left join {{ ref('int_identity_map') }} as identity_map on events.anonymous_id = identity_map.anonymous_id
