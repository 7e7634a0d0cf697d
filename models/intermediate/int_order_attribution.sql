-- Each valid order (orders are cut at as_of_date), attributed last-touch to the buyer's
-- latest session that started at or before the order (the buyer as a
-- stitched person). Orders with no earlier session are attributed to Other.
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
),

touches as (
    select
        valid_orders.order_id,
        sessions.session_id,
        sessions.channel_group,
        row_number() over (
            partition by valid_orders.order_id
            order by sessions.started_at desc, sessions.session_id desc
        ) as touch_rank
    from valid_orders
    inner join sessions
        on
            valid_orders.user_id = sessions.person_id
            and valid_orders.ordered_at >= sessions.started_at
)

select
    valid_orders.order_id,
    valid_orders.user_id,
    valid_orders.ordered_at,
    valid_orders.order_date,
    valid_orders.amount,
    touches.session_id,
    coalesce(touches.channel_group, 'Other') as channel_group
from valid_orders
left join touches
    on
        valid_orders.order_id = touches.order_id
        and touches.touch_rank = 1
