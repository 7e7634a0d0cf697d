-- docs/attribution.md: per attribution model, a month's credited orders and revenue
-- equal that month's valid orders and revenue (metrics_monthly). Returns each
-- month and model that differs.
with

models as (
    select attribution_model
    from {{ ref('attribution_models') }}
),

credited as (
    select
        month_start,
        attribution_model,
        sum(credited_orders) as credited_orders,
        sum(credited_revenue) as credited_revenue
    from {{ ref('attribution_channel_monthly') }}
    group by month_start, attribution_model
),

expected as (
    select
        months.month_start,
        models.attribution_model,
        months.orders,
        months.revenue
    from {{ ref('metrics_monthly') }} as months
    cross join models
)

select
    expected.month_start,
    expected.attribution_model,
    expected.orders,
    credited.credited_orders,
    expected.revenue,
    credited.credited_revenue
from expected
left join credited
    on
        expected.month_start = credited.month_start
        and expected.attribution_model = credited.attribution_model
where
    abs(coalesce(credited.credited_orders, 0) - expected.orders) > 1e-6
    or abs(coalesce(credited.credited_revenue, 0) - expected.revenue) > 1e-4
