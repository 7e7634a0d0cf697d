-- docs/attribution.md: in every attribution model, each valid order's credit sums to 1,
-- and every valid order is credited in every model. Returns each order and
-- model that breaks it.
with

valid_orders as (
    select order_id
    from {{ ref('fct_orders') }}
    where is_valid
),

models as (
    select attribution_model
    from {{ ref('attribution_models') }}
),

credit as (
    select
        order_id,
        attribution_model,
        sum(credit) as total_credit
    from {{ ref('attribution_credit') }}
    group by order_id, attribution_model
)

select
    valid_orders.order_id,
    models.attribution_model,
    credit.total_credit
from valid_orders
cross join models
left join credit
    on
        valid_orders.order_id = credit.order_id
        and models.attribution_model = credit.attribution_model
where credit.total_credit is null or abs(credit.total_credit - 1) > 1e-9
