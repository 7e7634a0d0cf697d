-- One row per person and product with any signal up to as_of_date
-- (docs/recommendations.md#affinity): the affinity, each signal's weight from
-- seed recommendation_signals halved every var recommendation_half_life_days
-- days before as_of_date, rounded to 9 decimals and summed exactly as
-- decimals so that neither the engine nor the order rows arrive in can
-- change it. The events are scanned once, for product events.
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
        -- the exponent in double on every engine (Spark would divide decimals at its own
        -- scale), the result rounded to 9 decimals so that engines' last bits never show
        cast(
            cast(product_signals.weight as {{ type_double() }}) * power(
                cast(2 as {{ type_double() }}),
                -1 * cast({{ days_between('product_signals.signal_date', 'as_of.as_of_date') }} as {{ type_double() }})
                / {{ var('recommendation_half_life_days') }}
            ) as decimal(24, 9)
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
    -- 20 digits, so that affinity × similarity stays within 38 digits and keeps every decimal on Spark too
    cast(sum(affinity) as decimal(20, 9)) as affinity,
    cast(count(*) as bigint) as signals,
    max(signal_date) as last_signal_date,
    max(case when is_purchase then signal_date end) as last_bought_date,
    max(case when is_purchase then 1 else 0 end) = 1 as is_bought
from decayed
group by person_id, product_id
