select
    order_id,
    user_id,
    ordered_at,
    status,
    is_valid,
    amount,
    discount_amount,
    currency,
    exchange_rate,
    channel
from {{ ref('base_orders_typed') }}
where reject_reason is null
