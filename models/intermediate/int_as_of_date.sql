-- The one date all "as of" logic uses (SPEC §3): var as_of_date when set,
-- else the latest UTC date of a staged event or a valid order, so the same
-- input gives the same output whatever day the build runs.
{%- if var('as_of_date') is not none %}

select cast('{{ var("as_of_date") }}' as date) as as_of_date

{%- else %}

with

latest_event as (
    select max(cast(event_time as date)) as latest_date
    from {{ ref('stg_events') }}
),

latest_valid_order as (
    select max(cast(ordered_at as date)) as latest_date
    from {{ ref('stg_orders') }}
    where is_valid
)

select greatest(latest_event.latest_date, latest_valid_order.latest_date) as as_of_date
from latest_event
cross join latest_valid_order

{%- endif %}
