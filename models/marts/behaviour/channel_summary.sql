-- Per channel group and month (docs/rules/operating-metrics.md): sessions and visitors from the
-- sessions that started in the month, buyers, orders and revenue from valid
-- orders attributed last-touch (int_order_attribution).
with

calendar_months as (
    select distinct month_start
    from {{ ref('int_calendar') }}
),

sessions as (
    select
        cast({{ dbt.date_trunc('month', 'session_date') }} as date) as month_start,
        channel_group,
        person_id
    from {{ ref('fct_sessions') }}
),

attributed_orders as (
    select
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as month_start,
        channel_group,
        user_id,
        amount
    from {{ ref('int_order_attribution') }}
),

channel_sessions as (
    select
        month_start,
        channel_group,
        count(*) as sessions,
        count(distinct person_id) as uv
    from sessions
    group by month_start, channel_group
),

month_sessions as (
    select
        month_start,
        count(*) as sessions,
        count(distinct person_id) as uv
    from sessions
    group by month_start
),

channel_orders as (
    select
        month_start,
        channel_group,
        count(distinct user_id) as buyers,
        count(*) as orders,
        sum(amount) as revenue
    from attributed_orders
    group by month_start, channel_group
),

month_revenue as (
    select
        month_start,
        sum(amount) as revenue
    from attributed_orders
    group by month_start
),

channel_months as (
    select
        month_start,
        channel_group
    from channel_sessions
    union
    select
        month_start,
        channel_group
    from channel_orders
)

select
    channel_months.month_start,
    channel_months.channel_group,
    cast(coalesce(channel_sessions.sessions, 0) as bigint) as sessions,
    cast(coalesce(channel_sessions.sessions, 0) as {{ type_double() }})
    / nullif(month_sessions.sessions, 0) as session_share,
    cast(coalesce(channel_sessions.uv, 0) as bigint) as uv,
    cast(coalesce(channel_sessions.uv, 0) as {{ type_double() }}) / nullif(month_sessions.uv, 0) as uv_share,
    cast(coalesce(channel_orders.buyers, 0) as bigint) as buyers,
    cast(coalesce(channel_orders.buyers, 0) as {{ type_double() }}) / nullif(channel_sessions.uv, 0) as conversion_rate,
    cast(coalesce(channel_orders.orders, 0) as bigint) as orders,
    cast(coalesce(channel_orders.revenue, 0) as decimal(18, 2)) as revenue,
    cast(coalesce(channel_orders.revenue, 0) as {{ type_double() }}) / nullif(month_revenue.revenue, 0) as revenue_share
from channel_months
inner join calendar_months on channel_months.month_start = calendar_months.month_start
left join channel_sessions
    on
        channel_months.month_start = channel_sessions.month_start
        and channel_months.channel_group = channel_sessions.channel_group
left join month_sessions on channel_months.month_start = month_sessions.month_start
left join channel_orders
    on
        channel_months.month_start = channel_orders.month_start
        and channel_months.channel_group = channel_orders.channel_group
left join month_revenue on channel_months.month_start = month_revenue.month_start
