{#- The operating metrics of docs/rules/operating-metrics.md for one grain (day, week or month),
    each recomputed at that grain: uv and new visitors are distinct persons
    over the period, never sums of days. Periods come from int_calendar, so a
    period without traffic has zeros; a ratio whose denominator is zero is
    null. Used by metrics_daily, metrics_weekly and metrics_monthly. -#}
{% macro operating_metrics(grain) -%}
{%- set period = {'day': 'date_day', 'week': 'week_start', 'month': 'month_start'}[grain] -%}
with

calendar as (
    select
        date_day,
        {{ period }} as period_start
    from {{ ref('int_calendar') }}
),

periods as (
    select distinct period_start
    from calendar
),

visitors as (
    select
        calendar.period_start,
        sum(person_days.page_views) as pv,
        count(distinct person_days.person_id) as uv,
        count(distinct case when person_days.is_first_visit_day then person_days.person_id end) as new_visitors
    from {{ ref('int_person_days') }} as person_days
    inner join calendar on person_days.activity_date = calendar.date_day
    group by calendar.period_start
),

sessions as (
    select
        calendar.period_start,
        count(*) as sessions,
        sum(case when sessions.is_bounce then 1 else 0 end) as bounces,
        avg(sessions.duration_seconds) as avg_session_duration_seconds,
        sum(sessions.page_views) as session_page_views
    from {{ ref('fct_sessions') }} as sessions
    inner join calendar on sessions.session_date = calendar.date_day
    group by calendar.period_start
),

orders as (
    select
        calendar.period_start,
        count(distinct orders.user_id) as buyers,
        count(*) as orders,
        sum(orders.amount) as revenue
    from {{ ref('fct_orders') }} as orders
    inner join calendar on orders.order_date = calendar.date_day
    where orders.is_valid
    group by calendar.period_start
),

combined as (
    select
        periods.period_start,
        coalesce(visitors.pv, 0) as pv,
        coalesce(visitors.uv, 0) as uv,
        coalesce(visitors.new_visitors, 0) as new_visitors,
        coalesce(sessions.sessions, 0) as sessions,
        coalesce(sessions.bounces, 0) as bounces,
        sessions.avg_session_duration_seconds,
        coalesce(sessions.session_page_views, 0) as session_page_views,
        coalesce(orders.buyers, 0) as buyers,
        coalesce(orders.orders, 0) as orders,
        coalesce(orders.revenue, 0) as revenue
    from periods
    left join visitors on periods.period_start = visitors.period_start
    left join sessions on periods.period_start = sessions.period_start
    left join orders on periods.period_start = orders.period_start
)

select
    period_start as {{ period }},
    cast(pv as bigint) as pv,
    cast(uv as bigint) as uv,
    cast(new_visitors as bigint) as new_visitors,
    cast(uv - new_visitors as bigint) as returning_visitors,
    cast(sessions as bigint) as sessions,
    cast(bounces as {{ type_double() }}) / nullif(sessions, 0) as bounce_rate,
    cast(avg_session_duration_seconds as {{ type_double() }}) as avg_session_duration_seconds,
    cast(session_page_views as {{ type_double() }}) / nullif(sessions, 0) as pages_per_session,
    cast(buyers as bigint) as buyers,
    cast(orders as bigint) as orders,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(revenue as {{ type_double() }}) / nullif(orders, 0) as aov,
    cast(revenue as {{ type_double() }}) / nullif(buyers, 0) as arppu,
    cast(buyers as {{ type_double() }}) / nullif(uv, 0) as conversion_rate
from combined
{%- endmacro %}
