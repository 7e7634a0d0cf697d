select
    order_item_id,
    order_id,
    line_number,
    line_no,
    product_id,
    category,
    quantity,
    unit_price
from {{ ref('base_order_items_typed') }}
where reject_reason is null
