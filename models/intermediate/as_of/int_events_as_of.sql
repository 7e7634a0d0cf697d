{{ config(materialized='view') }}
-- The staged events on or before as_of_date (docs/time-identity-money.md#time), with event_date, the
-- day in var reporting_timezone. Every later model reads events from here.
with

events as (
    select
        event_id,
        event_time,
        {{ reporting_date('event_time') }} as event_date,
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
    from {{ ref('stg_events') }}
)

select events.*
from events
inner join {{ ref('int_as_of_date') }} as as_of on events.event_date <= as_of.as_of_date
