-- Additive measures agree across grains: weekly and monthly pv, sessions,
-- orders and revenue sum to the daily ones; channel_summary's sessions and
-- revenue per month sum to metrics_monthly's. Returns what disagrees.
with

daily as (
    select
        sum(pv) as pv,
        sum(sessions) as sessions,
        sum(orders) as orders,
        sum(revenue) as revenue
    from {{ ref('metrics_daily') }}
),

weekly as (
    select
        sum(pv) as pv,
        sum(sessions) as sessions,
        sum(orders) as orders,
        sum(revenue) as revenue
    from {{ ref('metrics_weekly') }}
),

monthly as (
    select
        sum(pv) as pv,
        sum(sessions) as sessions,
        sum(orders) as orders,
        sum(revenue) as revenue
    from {{ ref('metrics_monthly') }}
),

channel_months as (
    select
        month_start,
        sum(sessions) as sessions,
        sum(revenue) as revenue
    from {{ ref('channel_summary') }}
    group by month_start
),

grain_mismatches as (
    select 'weekly' as grain
    from daily cross join weekly
    where
        daily.pv != weekly.pv or daily.sessions != weekly.sessions
        or daily.orders != weekly.orders or daily.revenue != weekly.revenue
    union all
    select 'monthly' as grain
    from daily cross join monthly
    where
        daily.pv != monthly.pv or daily.sessions != monthly.sessions
        or daily.orders != monthly.orders or daily.revenue != monthly.revenue
),

channel_mismatches as (
    select 'channel_summary ' || cast(metrics_monthly.month_start as {{ dbt.type_string() }}) as grain
    from {{ ref('metrics_monthly') }} as metrics_monthly
    left join channel_months on metrics_monthly.month_start = channel_months.month_start
    where
        coalesce(channel_months.sessions, 0) != metrics_monthly.sessions
        or coalesce(channel_months.revenue, 0) != metrics_monthly.revenue
)

select grain from grain_mismatches
union all
select grain from channel_mismatches
