-- Credit per valid order, touchpoint and attribution model (docs/attribution.md); the
-- models are the rows of seed attribution_models, their formulas the cases
-- below (a seed row without one gives a null credit, which a test catches).
-- Rows with credit are kept; an order without touchpoints gets credit 1 on
-- channel '(none)' in every model.
with

touchpoints as (
    select
        order_id,
        user_id,
        ordered_at,
        order_month,
        amount,
        session_id,
        started_at,
        channel_group,
        touchpoint_number,
        touchpoints,
        hours_before_order,
        max(case when channel_group <> 'Direct' then touchpoint_number end) over (partition by order_id)
            as last_non_direct_number,
        -- a decimal, so its sum per order is exact and the same in any order
        -- (a double sum's last bits depend on the order rows arrive in)
        cast(
            power(2, -1 * hours_before_order / (24 * {{ var('attribution_half_life_days') }})) as decimal(38, 18)
        ) as decay_weight
    from {{ ref('int_order_touchpoints') }}
),

models as (
    select attribution_model
    from {{ ref('attribution_models') }}
),

credits as (
    select
        touchpoints.*,
        models.attribution_model,
        case
            when touchpoints.touchpoints = 0 then 1.0
            when models.attribution_model = 'first_touch'
                then case when touchpoints.touchpoint_number = 1 then 1.0 else 0.0 end
            when models.attribution_model = 'last_touch'
                then case when touchpoints.touchpoint_number = touchpoints.touchpoints then 1.0 else 0.0 end
            when models.attribution_model = 'last_non_direct'
                then case
                    when
                        touchpoints.touchpoint_number
                        = coalesce(touchpoints.last_non_direct_number, touchpoints.touchpoints)
                        then 1.0
                    else 0.0
                end
            when models.attribution_model = 'linear' then 1.0 / touchpoints.touchpoints
            when models.attribution_model = 'position_based'
                then case
                    when touchpoints.touchpoints = 1 then 1.0
                    when touchpoints.touchpoints = 2 then 0.5
                    when touchpoints.touchpoint_number in (1, touchpoints.touchpoints) then 0.4
                    else 0.2 / (touchpoints.touchpoints - 2)
                end
            when models.attribution_model = 'time_decay'
                then cast(touchpoints.decay_weight as {{ type_double() }}) / cast(sum(touchpoints.decay_weight) over (
                    partition by touchpoints.order_id, models.attribution_model
                ) as {{ type_double() }})
        end as credit
    from touchpoints
    cross join models
)

select
    order_id || '|' || attribution_model || '|' || cast(touchpoint_number as {{ dbt.type_string() }})
        as attribution_credit_id,
    order_id,
    user_id,
    attribution_model,
    order_month,
    ordered_at,
    touchpoint_number,
    touchpoints,
    session_id,
    coalesce(channel_group, '(none)') as channel_group,
    started_at as session_started_at,
    hours_before_order,
    cast(credit as {{ type_double() }}) as credit,
    cast(credit * amount as {{ type_double() }}) as credited_revenue
from credits
where credit > 0 or credit is null
