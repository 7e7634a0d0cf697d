-- The one date all "as of" logic uses (docs/time-identity-money.md#time), a day in var
-- reporting_timezone: var as_of_date when set, else the latest day of a
-- staged event or a valid order, so the same input gives the same output
-- whatever day the build runs. Outliers are already rejected in staging, so
-- one stray record cannot move it.
{%- if var('as_of_date') is not none %}

select cast({{ sql_values([var('as_of_date') | string]) }} as date) as as_of_date

{%- else %}

with

latest_event as (
    select max({{ reporting_date('event_time') }}) as latest_date
    from {{ ref('stg_events') }}
),

latest_valid_order as (
    select max({{ reporting_date('ordered_at') }}) as latest_date
    from {{ ref('stg_orders') }}
    where is_valid
)

select
    coalesce(
        greatest(latest_event.latest_date, latest_valid_order.latest_date),
        latest_event.latest_date,
        latest_valid_order.latest_date
    ) as as_of_date
from latest_event
cross join latest_valid_order

{%- endif %}
