-- Tags whose rule is order_share (docs/rules/tags.md): among at least min_sample valid
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

{{ tag_share_of_matches('order_share', 'valid_orders', 'order_id', 'order_date') }}
