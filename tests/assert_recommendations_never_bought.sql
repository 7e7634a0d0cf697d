-- No person is recommended a product they bought in a valid order up to
-- as_of_date (docs/recommendations.md), read from the orders themselves.
select
    recommendations.person_id,
    recommendations.product_id
from {{ ref('user_recommendations') }} as recommendations
inner join {{ ref('int_order_facts') }} as orders
    on recommendations.person_id = orders.user_id and orders.is_valid
inner join {{ ref('int_order_items_as_of') }} as items
    on orders.order_id = items.order_id and recommendations.product_id = items.product_id
