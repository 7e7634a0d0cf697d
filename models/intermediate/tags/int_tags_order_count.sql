-- Tags whose rule is order_count (docs/rules/tags.md): valid orders in the window at
-- least the threshold; the evidence is the number of orders. Repurchaser is
-- of this shape.
with

rules as (
    {{ tag_rules('order_count') }}
),

valid_orders as (
    select
        orders.user_id,
        orders.order_date
    from {{ ref('int_order_facts') }} as orders
    inner join {{ ref('int_users_as_of') }} as users on orders.user_id = users.user_id
    where orders.is_valid
)

select
    rules.tag_id,
    valid_orders.user_id,
    {{ tag_evidence('count(*)') }} as evidence
from valid_orders
inner join rules on valid_orders.order_date between rules.window_start and rules.window_end
group by rules.tag_id, valid_orders.user_id
having count(*) >= min(rules.threshold)
