-- One row per day from the first day with an event or order to as_of_date,
-- so daily metrics have zeros, not gaps, on days without traffic.
with

first_activity as (
    select min(first_date) as first_date
    from (
        select min(event_date) as first_date from {{ ref('int_events_as_of') }}
        union all
        select min(order_date) as first_date from {{ ref('int_orders_as_of') }}
    ) as firsts
),

days as (
    select cast(series.day_start as date) as date_day
    from first_activity
    cross join
        {{ day_series('first_activity.first_date', as_of_date()) }}
)

select
    date_day,
    cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start
from days
