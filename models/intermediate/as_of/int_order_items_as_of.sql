{{ config(materialized='view') }}
-- The staged lines of the orders in int_orders_as_of (docs/time-identity-money.md#time).
select
    order_items.order_item_id,
    order_items.order_id,
    order_items.line_number,
    order_items.line_no,
    order_items.product_id,
    order_items.category,
    order_items.quantity,
    order_items.unit_price
from {{ ref('stg_order_items') }} as order_items
inner join {{ ref('int_orders_as_of') }} as orders on order_items.order_id = orders.order_id
