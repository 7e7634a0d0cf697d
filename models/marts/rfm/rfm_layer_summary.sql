-- Users and revenue per RFM layer on as_of_date (SPEC §9), every layer of
-- seed rfm_layers listed, zeros included. revenue = the layer's monetary, so
-- the summary's revenue adds up to user_rfm's.
with

layers as (
    select distinct
        layer,
        layer_zh
    from {{ ref('rfm_layers') }}
),

users as (
    select
        layer,
        count(*) as users,
        sum(monetary) as revenue,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary) as avg_monetary
    from {{ ref('user_rfm') }}
    group by layer
),

totals as (
    select
        count(*) as users,
        sum(monetary) as revenue
    from {{ ref('user_rfm') }}
)

select
    layers.layer,
    layers.layer_zh,
    cast(coalesce(users.users, 0) as bigint) as users,
    cast(coalesce(users.users, 0) as double) / nullif(totals.users, 0) as user_share,
    cast(coalesce(users.revenue, 0) as decimal(18, 2)) as revenue,
    cast(coalesce(users.revenue, 0) as double) / nullif(totals.revenue, 0) as revenue_share,
    cast(users.avg_recency_days as double) as avg_recency_days,
    cast(users.avg_frequency as double) as avg_frequency,
    cast(users.avg_monetary as double) as avg_monetary
from layers
cross join totals
left join users on layers.layer = users.layer
