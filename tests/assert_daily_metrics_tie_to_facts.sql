-- metrics_daily ties to the facts it summarises (docs/rules/operating-metrics.md): pv to page_view
-- events, sessions to sessions, revenue to valid orders, all up to
-- as_of_date. Returns one row per measure that does not tie.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

daily as (
    select
        sum(pv) as pv,
        sum(sessions) as sessions,
        sum(orders) as orders,
        sum(revenue) as revenue
    from {{ ref('metrics_daily') }}
),

facts as (
    select
        (
            select count(*) from {{ ref('fct_events') }}
            where event_type = 'page_view' and event_date <= (select as_of.as_of_date from as_of)
        ) as pv,
        (
            select count(*) from {{ ref('fct_sessions') }}
            where session_date <= (select as_of.as_of_date from as_of)
        ) as sessions,
        (
            select count(*) from {{ ref('fct_orders') }}
            where is_valid and order_date <= (select as_of.as_of_date from as_of)
        ) as orders,
        (
            select coalesce(sum(amount), 0) from {{ ref('fct_orders') }}
            where is_valid and order_date <= (select as_of.as_of_date from as_of)
        ) as revenue
),

comparison as (
    select
        'pv' as measure,
        daily.pv as in_metrics,
        facts.pv as in_facts
    from daily cross join facts
    union all
    select
        'sessions' as measure,
        daily.sessions as in_metrics,
        facts.sessions as in_facts
    from daily cross join facts
    union all
    select
        'orders' as measure,
        daily.orders as in_metrics,
        facts.orders as in_facts
    from daily cross join facts
    union all
    select
        'revenue' as measure,
        daily.revenue as in_metrics,
        facts.revenue as in_facts
    from daily cross join facts
)

select
    measure,
    in_metrics,
    in_facts
from comparison
where in_metrics != in_facts
