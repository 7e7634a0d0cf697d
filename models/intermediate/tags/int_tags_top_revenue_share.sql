-- Tags whose rule is top_revenue_share (docs/rules/tags.md): the top ceil(threshold ×
-- buyers) buyers by revenue of valid orders in the window, ties by user_id;
-- the evidence is the revenue. Big spender is of this shape.
with

rules as (
    {{ tag_rules('top_revenue_share') }}
),

valid_orders as (
    select
        orders.user_id,
        orders.order_date,
        orders.amount
    from {{ ref('int_order_facts') }} as orders
    inner join {{ ref('int_users_as_of') }} as users on orders.user_id = users.user_id
    where orders.is_valid
),

buyers as (
    select
        rules.tag_id,
        valid_orders.user_id,
        sum(valid_orders.amount) as revenue,
        min(rules.threshold) as threshold
    from valid_orders
    inner join rules on valid_orders.order_date between rules.window_start and rules.window_end
    group by rules.tag_id, valid_orders.user_id
),

ranked_buyers as (
    select
        tag_id,
        user_id,
        revenue,
        threshold,
        row_number() over (partition by tag_id order by revenue desc, user_id asc) as revenue_rank,
        count(*) over (partition by tag_id) as buyers
    from buyers
)

select
    tag_id,
    user_id,
    {{ tag_evidence('revenue') }} as evidence
from ranked_buyers
where revenue_rank <= ceil(threshold * buyers)
