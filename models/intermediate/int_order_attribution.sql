-- Each valid order (orders are cut at as_of_date), attributed last-touch to the buyer's
-- latest session that started at or before the order (the buyer as a
-- stitched person). Orders with no earlier session are attributed to Other.
select
    order_id,
    user_id,
    ordered_at,
    order_date,
    amount,
    session_id,
    coalesce(channel_group, 'Other') as channel_group
from {{ ref('int_order_sessions') }}
where latest_first_rank = 1
