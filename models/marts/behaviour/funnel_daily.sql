-- The session funnel page_view → add_to_cart → checkout → purchase per day
-- and channel group (SPEC §5). A session reaches a step when it holds that
-- event and reached every step before it (order within the session is not
-- required); sessions belong to the day of their first event.
with

sessions as (
    select
        session_date,
        channel_group,
        page_views > 0 as reached_page_view,
        page_views > 0 and has_add_to_cart as reached_add_to_cart,
        page_views > 0 and has_add_to_cart and has_checkout as reached_checkout,
        page_views > 0 and has_add_to_cart and has_checkout and converted as reached_purchase
    from {{ ref('int_sessions') }}
),

steps as (
    select
        session_date,
        channel_group,
        count(*) as sessions,
        sum(case when reached_page_view then 1 else 0 end) as page_view_sessions,
        sum(case when reached_add_to_cart then 1 else 0 end) as add_to_cart_sessions,
        sum(case when reached_checkout then 1 else 0 end) as checkout_sessions,
        sum(case when reached_purchase then 1 else 0 end) as purchase_sessions
    from sessions
    group by session_date, channel_group
)

select
    session_date as date_day,
    channel_group,
    cast(sessions as bigint) as sessions,
    cast(page_view_sessions as bigint) as page_view_sessions,
    cast(add_to_cart_sessions as bigint) as add_to_cart_sessions,
    cast(checkout_sessions as bigint) as checkout_sessions,
    cast(purchase_sessions as bigint) as purchase_sessions,
    cast(add_to_cart_sessions as double) / nullif(page_view_sessions, 0) as add_to_cart_rate,
    cast(checkout_sessions as double) / nullif(add_to_cart_sessions, 0) as checkout_rate,
    cast(purchase_sessions as double) / nullif(checkout_sessions, 0) as purchase_rate,
    cast(purchase_sessions as double) / nullif(page_view_sessions, 0) as overall_conversion_rate
from steps
