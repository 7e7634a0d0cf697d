-- The RFM summaries and migration agree with user_rfm (docs/rules/rfm.md): users and
-- revenue per segment and per layer sum to user_rfm's count and monetary,
-- and the migration's users now in a layer are user_rfm's. Returns what
-- disagrees.
with

rfm as (
    select
        count(*) as users,
        coalesce(sum(monetary), 0) as revenue
    from {{ ref('user_rfm') }}
),

segments as (
    select
        sum(users) as users,
        sum(revenue) as revenue
    from {{ ref('rfm_segment_summary') }}
),

layers as (
    select
        sum(users) as users,
        sum(revenue) as revenue
    from {{ ref('rfm_layer_summary') }}
),

migration as (
    select sum(users) as users
    from {{ ref('rfm_layer_migration') }}
    where to_layer != 'none'
),

checks as (
    select
        'segment summary' as summary_name,
        segments.users != rfm.users or segments.revenue != rfm.revenue as disagrees
    from rfm cross join segments
    union all
    select
        'layer summary' as summary_name,
        layers.users != rfm.users or layers.revenue != rfm.revenue as disagrees
    from rfm cross join layers
    union all
    select
        'layer migration' as summary_name,
        coalesce(migration.users, 0) != rfm.users as disagrees
    from rfm cross join migration
)

select summary_name
from checks
where disagrees
