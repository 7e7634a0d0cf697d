-- One row per staged order, valid or not (SPEC §2, §5).
select
    order_id,
    user_id,
    ordered_at,
    order_date,
    status,
    is_valid,
    amount,
    discount_amount,
    gross_amount,
    currency,
    channel,
    line_count,
    item_count,
    valid_order_number,
    days_since_previous_valid_order
from {{ ref('int_order_facts') }}
