-- The touchpoints of each valid order (SPEC §12): the buyer's sessions (as a
-- stitched person) that started within attribution_lookback_days before the
-- order, up to the order time, numbered in time order. An order without one
-- keeps a single row with no session (touchpoints = 0).
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
        sessions.started_at,
        sessions.channel_group,
        row_number() over (
            partition by valid_orders.order_id
            order by sessions.started_at asc, sessions.session_id asc
        ) as touchpoint_number,
        count(*) over (partition by valid_orders.order_id) as touchpoints
    from valid_orders
    inner join sessions
        on
            valid_orders.user_id = sessions.person_id
            and valid_orders.ordered_at >= sessions.started_at
            and sessions.started_at
            >= {{ dbt.dateadd('day', -1 * var('attribution_lookback_days'), 'valid_orders.ordered_at') }}
)

select
    valid_orders.order_id,
    valid_orders.user_id,
    valid_orders.ordered_at,
    cast({{ dbt.date_trunc('month', 'valid_orders.order_date') }} as date) as order_month,
    valid_orders.amount,
    touches.session_id,
    touches.started_at,
    touches.channel_group,
    cast(coalesce(touches.touchpoint_number, 0) as bigint) as touchpoint_number,
    cast(coalesce(touches.touchpoints, 0) as bigint) as touchpoints,
    cast(
        {{ dbt.datediff('touches.started_at', 'valid_orders.ordered_at', 'second') }} as {{ type_double() }}  -- noqa: LT05
    ) / 3600 as hours_before_order
from valid_orders
left join touches on valid_orders.order_id = touches.order_id
