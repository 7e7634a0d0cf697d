-- How users moved between RFM layers (docs/rules/rfm.md): layer on as_of_date − var
-- rfm_migration_days against layer on as_of_date, with user counts. A user
-- not eligible on a date (no valid order in that date's window) is in layer
-- 'none' there.
with

history as (
    select
        rfm_snapshot,
        rfm_date,
        user_id,
        layer
    from {{ ref('int_user_rfm_history') }}
),

previous_layers as (
    select
        user_id,
        layer
    from history
    where rfm_snapshot = 'previous'
),

current_layers as (
    select
        user_id,
        layer
    from history
    where rfm_snapshot = 'current'
),

dates as (
    select
        min(case when rfm_snapshot = 'previous' then rfm_date end) as from_date,
        min(case when rfm_snapshot = 'current' then rfm_date end) as to_date
    from history
),

pairs as (
    select
        coalesce(previous_layers.layer, 'none') as from_layer,
        coalesce(current_layers.layer, 'none') as to_layer
    from previous_layers
    full outer join current_layers on previous_layers.user_id = current_layers.user_id
),

moves as (
    select
        from_layer,
        to_layer,
        count(*) as users
    from pairs
    group by from_layer, to_layer
)

select
    moves.from_layer || '>' || moves.to_layer as migration_id,
    dates.from_date,
    dates.to_date,
    moves.from_layer,
    moves.to_layer,
    cast(moves.users as bigint) as users
from moves
cross join dates
