{{ config(materialized='view') }}
-- The staged orders (valid or not) on or before as_of_date (docs/time-identity-money.md#time), with
-- order_date, the day in var reporting_timezone. Amounts are still in the
-- order's currency; int_order_facts converts them.
with

orders as (
    select
        order_id,
        user_id,
        ordered_at,
        {{ reporting_date('ordered_at') }} as order_date,
        status,
        is_valid,
        amount,
        discount_amount,
        currency,
        exchange_rate,
        channel
    from {{ ref('stg_orders') }}
)

select orders.*
from orders
inner join {{ ref('int_as_of_date') }} as as_of on orders.order_date <= as_of.as_of_date
