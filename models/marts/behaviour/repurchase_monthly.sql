-- Per calendar month (docs/rules/operating-metrics.md): repurchase rate (复购率) among the month's
-- buyers (≥ 1 valid order in the month), the share with ≥ 2; and the Pareto
-- share (二八法则): revenue of the top ceil(var pareto_top_share × buyers)
-- buyers by revenue (ties broken by user_id ascending) over the month's revenue.
with

calendar_months as (
    select distinct month_start
    from {{ ref('int_calendar') }}
),

buyer_months as (
    select
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as month_start,
        user_id,
        count(*) as orders,
        sum(amount) as revenue
    from {{ ref('fct_orders') }}
    where is_valid
    group by month_start, user_id
),

ranked as (
    select
        month_start,
        user_id,
        orders,
        revenue,
        row_number() over (partition by month_start order by revenue desc, user_id asc) as revenue_rank,
        ceil({{ var('pareto_top_share') }} * count(*) over (partition by month_start)) as top_buyers
    from buyer_months
),

months as (
    select
        month_start,
        count(*) as buyers,
        sum(case when orders >= 2 then 1 else 0 end) as repeat_buyers,
        sum(revenue) as revenue,
        max(top_buyers) as top_buyers,
        sum(case when revenue_rank <= top_buyers then revenue else 0 end) as top_buyers_revenue
    from ranked
    group by month_start
)

select
    calendar_months.month_start,
    cast(coalesce(months.buyers, 0) as bigint) as buyers,
    cast(coalesce(months.repeat_buyers, 0) as bigint) as repeat_buyers,
    cast(months.repeat_buyers as {{ type_double() }}) / nullif(months.buyers, 0) as repurchase_rate,
    cast(coalesce(months.revenue, 0) as decimal(18, 2)) as revenue,
    cast(coalesce(months.top_buyers, 0) as bigint) as top_buyers,
    cast(coalesce(months.top_buyers_revenue, 0) as decimal(18, 2)) as top_buyers_revenue,
    cast(months.top_buyers_revenue as {{ type_double() }}) / nullif(months.revenue, 0) as pareto_share
from calendar_months
left join months on calendar_months.month_start = months.month_start
