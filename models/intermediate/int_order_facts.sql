-- One row per order up to as_of_date (valid or not) with its lines summed and
-- its place among the user's valid orders (docs/raw-contract.md, docs/rules/operating-metrics.md). order_date is the
-- day in var reporting_timezone. Money is in the reporting currency: the
-- order's amounts times its exchange_rate (1 in the reporting currency);
-- amount_in_order_currency keeps what was paid as it was paid.
with

orders as (
    select * from {{ ref('int_orders_as_of') }}
),

order_items as (
    select * from {{ ref('int_order_items_as_of') }}
),

items_per_order as (
    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as bigint) as item_count,
        sum(quantity * unit_price) as items_amount
    from order_items
    group by order_id
),

valid_sequence as (
    select
        order_id,
        cast(row_number() over user_valid_orders as bigint) as valid_order_number,
        lag(order_date) over user_valid_orders as previous_valid_order_date
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
    orders.order_date,
    -- status
    orders.status,
    orders.is_valid,
    -- measures, in the reporting currency; widened before multiplying, as a
    -- product of two decimal(18, s) stays 18 digits wide on DuckDB and
    -- overflows from 100,000,000 up (ordinary in IDR, VND or KRW)
    cast(cast(orders.amount as decimal(38, 2)) * orders.exchange_rate as decimal(18, 2)) as amount,
    cast(cast(orders.discount_amount as decimal(38, 2)) * orders.exchange_rate as decimal(18, 2)) as discount_amount,
    cast(
        cast(orders.amount + orders.discount_amount as decimal(38, 2)) * orders.exchange_rate as decimal(18, 2)
    ) as gross_amount,
    cast(items_per_order.items_amount * orders.exchange_rate as decimal(18, 2)) as items_amount,
    -- as paid
    orders.currency,
    orders.exchange_rate,
    orders.amount as amount_in_order_currency,
    orders.channel,
    coalesce(items_per_order.line_count, 0) as line_count,
    coalesce(items_per_order.item_count, 0) as item_count,
    -- the user's valid orders
    valid_sequence.valid_order_number,
    {{ days_between('valid_sequence.previous_valid_order_date', 'orders.order_date') }}
        as days_since_previous_valid_order
from orders
left join items_per_order on orders.order_id = items_per_order.order_id
left join valid_sequence on orders.order_id = valid_sequence.order_id
