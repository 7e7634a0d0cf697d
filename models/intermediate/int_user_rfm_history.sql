-- RFM (docs/rules/rfm.md) computed at two dates: as_of_date (rfm_snapshot 'current')
-- and as_of_date − var rfm_migration_days ('previous'), for the migration
-- matrix. At each date d0: valid orders with d0 − var rfm_window_days < order
-- date <= d0; eligible users have at least one. Scores among eligible users:
-- least(5, 1 + floor(5 × percent_rank)), percent_rank = (rank − 1) / (n − 1)
-- with ties sharing the lowest rank, computed in whole numbers so boundaries
-- (exactly 0.2, 0.4, …) are exact; 0 when n = 1. Layers compare each measure
-- with its mean, also exactly (x × n against the sum).
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

rfm_dates as (
    select
        'current' as rfm_snapshot,
        as_of_date as rfm_date
    from as_of
    union all
    select
        'previous' as rfm_snapshot,
        cast({{ dbt.dateadd('day', -1 * var('rfm_migration_days'), 'as_of_date') }} as date) as rfm_date
    from as_of
),

valid_orders as (
    select
        user_id,
        order_date,
        amount
    from {{ ref('int_order_facts') }}
    where is_valid and user_id in (select users.user_id from {{ ref('int_users_as_of') }} as users)
),

window_orders as (
    select
        rfm_dates.rfm_snapshot,
        rfm_dates.rfm_date,
        valid_orders.user_id,
        valid_orders.order_date,
        valid_orders.amount
    from valid_orders
    inner join rfm_dates
        on
            valid_orders.order_date <= rfm_dates.rfm_date
            and valid_orders.order_date
            > cast({{ dbt.dateadd('day', -1 * var('rfm_window_days'), 'rfm_dates.rfm_date') }} as date)
),

measures as (
    select
        rfm_snapshot,
        rfm_date,
        user_id,
        max(order_date) as last_order_date,
        {{ days_between('max(order_date)', 'rfm_date') }} as recency_days,
        count(*) as frequency,
        sum(amount) as monetary
    from window_orders
    group by rfm_snapshot, rfm_date, user_id
),

ranked as (
    select
        *,
        rank() over (partition by rfm_snapshot order by recency_days desc) as r_rank,
        rank() over (partition by rfm_snapshot order by frequency asc) as f_rank,
        rank() over (partition by rfm_snapshot order by monetary asc) as m_rank,
        count(*) over (partition by rfm_snapshot) as eligible_users,
        sum(recency_days) over (partition by rfm_snapshot) as total_recency_days,
        sum(frequency) over (partition by rfm_snapshot) as total_frequency,
        sum(monetary) over (partition by rfm_snapshot) as total_monetary
    from measures
),

scored as (
    select
        *,
        {{ rfm_score('r_rank', 'eligible_users') }} as r_score,
        {{ rfm_score('f_rank', 'eligible_users') }} as f_score,
        {{ rfm_score('m_rank', 'eligible_users') }} as m_score,
        case when recency_days * eligible_users <= total_recency_days then 'H' else 'L' end as r_level,
        case when frequency * eligible_users >= total_frequency then 'H' else 'L' end as f_level,
        case when monetary * eligible_users >= total_monetary then 'H' else 'L' end as m_level
    from ranked
)

select
    scored.rfm_snapshot || '|' || scored.user_id as user_rfm_snapshot_id,
    scored.rfm_snapshot,
    scored.rfm_date,
    scored.user_id,
    scored.last_order_date,
    cast(scored.recency_days as integer) as recency_days,
    cast(scored.frequency as integer) as frequency,
    cast(scored.monetary as decimal(18, 2)) as monetary,
    scored.r_score,
    scored.f_score,
    scored.m_score,
    cast(scored.r_score as {{ dbt.type_string() }})
    || cast(scored.f_score as {{ dbt.type_string() }})
    || cast(scored.m_score as {{ dbt.type_string() }}) as rfm_code,
    segments.segment,
    segments.segment_zh,
    scored.r_level || scored.f_level || scored.m_level as rfm_level_code,
    layers.layer,
    layers.layer_zh
from scored
left join {{ ref('rfm_segments') }} as segments
    on
        scored.r_score = segments.r_score
        and scored.f_score = segments.f_score
left join {{ ref('rfm_layers') }} as layers
    on
        scored.r_level = layers.r_level
        and scored.f_level = layers.f_level
        and scored.m_level = layers.m_level
