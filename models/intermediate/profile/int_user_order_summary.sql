-- Per registered user with any order up to as_of_date: the commerce measures
-- of the profile (docs/rules/user-profile.md), each defined once and read by dim_users and the
-- churn warning. avg_days_between_orders = days from the first to the last
-- valid order / (valid orders − 1), null with fewer than two.
with

orders as (
    select
        orders.user_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_valid,
        orders.amount,
        orders.discount_amount,
        orders.gross_amount
    from {{ ref('int_order_facts') }} as orders
    inner join {{ ref('int_users_as_of') }} as users on orders.user_id = users.user_id
),

commerce as (
    select
        user_id,
        sum(case when is_valid then 1 else 0 end) as valid_orders,
        sum(case when is_valid then amount else 0 end) as revenue,
        min(case when is_valid then ordered_at end) as first_order_at,
        max(case when is_valid then ordered_at end) as last_order_at,
        min(case when is_valid then order_date end) as first_order_date,
        max(case when is_valid then order_date end) as last_order_date,
        sum(case when status = 'refunded' then 1 else 0 end) as refunded_orders,
        sum(case when is_valid or status = 'refunded' then 1 else 0 end) as paid_orders,
        sum(case when is_valid then discount_amount else 0 end) as discount_total,
        sum(case when is_valid then gross_amount else 0 end) as gross_total
    from orders
    group by user_id
)

select
    user_id,
    cast(valid_orders as bigint) as valid_orders,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(revenue as {{ type_double() }}) / nullif(valid_orders, 0) as aov,
    first_order_at,
    last_order_at,
    first_order_date,
    last_order_date,
    cast({{ days_between('first_order_date', 'last_order_date') }} as {{ type_double() }})
    / nullif(valid_orders - 1, 0) as avg_days_between_orders,
    cast(refunded_orders as {{ type_double() }}) / nullif(paid_orders, 0) as refund_rate,
    cast(discount_total as {{ type_double() }}) / nullif(gross_total, 0) as discount_share
from commerce
