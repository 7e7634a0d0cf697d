-- The touchpoints of each valid order (docs/attribution.md): the buyer's sessions (as a
-- stitched person) that started within attribution_lookback_days before the
-- order, up to the order time (int_order_sessions), numbered in time order.
-- An order without one keeps a single row with no session (touchpoints = 0).
with

order_sessions as (
    select
        order_id,
        user_id,
        ordered_at,
        order_date,
        amount,
        session_id,
        started_at,
        channel_group,
        latest_first_rank,
        coalesce(
            started_at
            >= {{ dbt.dateadd('day', -1 * var('attribution_lookback_days'), 'ordered_at') }},
            false
        ) as in_lookback
    from {{ ref('int_order_sessions') }}
),

numbered as (
    select
        *,
        sum(case when in_lookback then 1 else 0 end) over (partition by order_id) as touchpoints,
        row_number() over (
            partition by order_id, in_lookback
            order by started_at asc, session_id asc
        ) as lookback_number
    from order_sessions
)

select
    order_id,
    user_id,
    ordered_at,
    cast({{ dbt.date_trunc('month', 'order_date') }} as date) as order_month,
    amount,
    case when in_lookback then session_id end as session_id,
    case when in_lookback then started_at end as started_at,
    case when in_lookback then channel_group end as channel_group,
    cast(case when in_lookback then lookback_number else 0 end as bigint) as touchpoint_number,
    cast(touchpoints as bigint) as touchpoints,
    case
        when in_lookback
            then cast(
                {{ dbt.datediff('started_at', 'ordered_at', 'second') }} as {{ type_double() }}  -- noqa: LT05
            ) / 3600
    end as hours_before_order
from numbered
where in_lookback or (touchpoints = 0 and latest_first_rank = 1)
