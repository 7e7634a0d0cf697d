-- One row per person and product with any signal up to as_of_date
-- (docs/recommendations.md#affinity): the affinity, each signal's weight from
-- seed recommendation_signals halved every var recommendation_half_life_days
-- days before as_of_date, summed exactly as decimals so that the order rows
-- arrive in cannot change it. The events are scanned once, for product events.
with

signals as (
    select
        signal,
        read_from,
        weight
    from {{ ref('recommendation_signals') }}
),

product_events as (
    select
        events.person_id,
        events.product_id,
        events.category,
        events.event_date as signal_date,
        signals.weight,
        false as is_purchase
    from {{ ref('int_events_sessionized') }} as events
    inner join signals on events.event_type = signals.signal and signals.read_from = 'events'
    where events.product_id is not null
),

order_lines as (
    select
        orders.user_id as person_id,
        items.product_id,
        items.category,
        orders.order_date as signal_date,
        signals.weight,
        true as is_purchase
    from {{ ref('int_order_items_as_of') }} as items
    inner join {{ ref('int_order_facts') }} as orders on items.order_id = orders.order_id
    inner join signals on signals.read_from = 'order_lines'
    where orders.is_valid
),

decayed as (
    select
        product_signals.*,
        cast(
            product_signals.weight * power(
                2, -1.0 * {{ days_between('product_signals.signal_date', 'as_of.as_of_date') }}
                / {{ var('recommendation_half_life_days') }}
            ) as decimal(24, 12)
        ) as affinity
    from (
        select * from product_events
        union all
        select * from order_lines
    ) as product_signals
    cross join {{ ref('int_as_of_date') }} as as_of
)

select
    person_id,
    product_id,
    -- one category per person and product, whatever the rows say
    max(category) as category,
    sum(affinity) as affinity,
    cast(count(*) as bigint) as signals,
    max(signal_date) as last_signal_date,
    max(case when is_purchase then signal_date end) as last_bought_date,
    max(case when is_purchase then 1 else 0 end) = 1 as is_bought
from decayed
group by person_id, product_id
