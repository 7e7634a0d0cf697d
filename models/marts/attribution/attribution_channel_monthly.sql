-- Credited orders and revenue per month, channel group and attribution model
-- (docs/attribution.md): sums of attribution_credit, so per model a month's credited
-- orders and revenue are its valid orders and revenue.
with

channel_credit as (
    select
        order_month as month_start,
        channel_group,
        attribution_model,
        -- decimal sums are exact, so the same whatever order the rows arrive in
        sum(cast(credit as decimal(38, 18))) as credited_orders,
        sum(cast(credited_revenue as decimal(38, 12))) as credited_revenue
    from {{ ref('attribution_credit') }}
    group by order_month, channel_group, attribution_model
)

select
    cast(month_start as {{ dbt.type_string() }}) || '|' || channel_group || '|' || attribution_model
        as channel_month_model_id,
    month_start,
    channel_group,
    attribution_model,
    cast(credited_orders as {{ type_double() }}) as credited_orders,
    cast(credited_revenue as {{ type_double() }}) as credited_revenue,
    cast(credited_revenue as {{ type_double() }})
    / cast(nullif(sum(credited_revenue) over (partition by month_start, attribution_model), 0) as {{ type_double() }})
        as revenue_share
from channel_credit
