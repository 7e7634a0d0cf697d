-- Tags whose rule is order_share (SPEC §7): among at least min_sample valid
-- orders in the window, the share whose match_column matches the seed's
-- pattern is at least the threshold; the evidence is the share.
-- Discount-sensitive (has_discount matches ^true$) is of this shape.
with

rules as (
    {{ tag_rules('order_share') }}
),

valid_orders as (
    select
        orders.order_id,
        orders.user_id,
        orders.order_date,
        orders.discount_amount > 0 as has_discount,
        orders.channel
    from {{ ref('int_order_facts') }} as orders
    inner join {{ ref('int_users_as_of') }} as users on orders.user_id = users.user_id
    where orders.is_valid
),

order_values as (
    {{ tag_values('order_share', 'valid_orders', 'order_id') }}
),

matching_values as (
    {{ tag_matching_values('order_values') }}
),

matching_orders as (
    select
        matching_values.tag_id,
        order_values.order_id
    from order_values
    inner join matching_values
        on
            order_values.match_column = matching_values.match_column
            and order_values.match_value = matching_values.match_value
),

window_orders as (
    select
        rules.tag_id,
        valid_orders.user_id,
        rules.threshold,
        rules.min_sample,
        case when matching_orders.order_id is not null then 1.0 else 0.0 end as is_match
    from valid_orders
    inner join rules on valid_orders.order_date between rules.window_start and rules.window_end
    left join matching_orders
        on
            rules.tag_id = matching_orders.tag_id
            and valid_orders.order_id = matching_orders.order_id
)

select
    tag_id,
    user_id,
    {{ tag_evidence('avg(is_match)', share=true) }} as evidence
from window_orders
group by tag_id, user_id
having count(*) >= min(min_sample) and avg(is_match) >= min(threshold)
