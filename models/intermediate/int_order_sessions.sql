-- Each valid order (orders are cut at as_of_date) with each session of its
-- buyer (as a stitched person) that started at or before the order,
-- latest_first_rank 1 for the latest; an order without one keeps a single row
-- with no session. The one join of orders to sessions that last-touch
-- attribution (int_order_attribution) and touchpoint attribution
-- (int_order_touchpoints) read.
with

valid_orders as (
    select
        order_id,
        user_id,
        ordered_at,
        order_date,
        amount
    from {{ ref('int_order_facts') }}
    where is_valid
),

sessions as (
    select
        session_id,
        person_id,
        started_at,
        channel_group
    from {{ ref('int_sessions') }}
)

select
    valid_orders.order_id,
    valid_orders.user_id,
    valid_orders.ordered_at,
    valid_orders.order_date,
    valid_orders.amount,
    sessions.session_id,
    sessions.started_at,
    sessions.channel_group,
    cast(row_number() over (
        partition by valid_orders.order_id
        order by sessions.started_at desc nulls last, sessions.session_id desc nulls last
    ) as bigint) as latest_first_rank
from valid_orders
left join sessions
    on
        valid_orders.user_id = sessions.person_id
        and valid_orders.ordered_at >= sessions.started_at
