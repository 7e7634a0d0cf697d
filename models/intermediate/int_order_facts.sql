-- One row per staged order (valid or not) with its lines summed and its place
-- among the user's valid orders (SPEC §2, §5). Order date is the UTC date.
with

orders as (
    select * from {{ ref('stg_orders') }}
),

order_items as (
    select * from {{ ref('stg_order_items') }}
),

items_per_order as (
    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as bigint) as item_count,
        cast(sum(quantity * unit_price) as decimal(18, 2)) as items_amount
    from order_items
    group by order_id
),

valid_sequence as (
    select
        order_id,
        row_number() over user_valid_orders as valid_order_number,
        lag(cast(ordered_at as date)) over user_valid_orders as previous_valid_order_date
    from orders
    where is_valid
    window user_valid_orders as (partition by user_id order by ordered_at, order_id)
)

select
    -- keys
    orders.order_id,
    orders.user_id,
    -- time
    orders.ordered_at,
    cast(orders.ordered_at as date) as order_date,
    -- status
    orders.status,
    orders.is_valid,
    -- measures
    orders.amount,
    orders.discount_amount,
    cast(orders.amount + orders.discount_amount as decimal(18, 2)) as gross_amount,
    orders.currency,
    orders.channel,
    coalesce(items_per_order.line_count, 0) as line_count,
    coalesce(items_per_order.item_count, 0) as item_count,
    items_per_order.items_amount,
    -- the user's valid orders
    valid_sequence.valid_order_number,
    {{ days_between('valid_sequence.previous_valid_order_date', 'cast(orders.ordered_at as date)') }}
        as days_since_previous_valid_order
from orders
left join items_per_order on orders.order_id = items_per_order.order_id
left join valid_sequence on orders.order_id = valid_sequence.order_id
