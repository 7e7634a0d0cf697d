select
    event_id,
    event_time,
    anonymous_id,
    user_id,
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
from {{ ref('base_events_typed') }}
where reject_reason is null
