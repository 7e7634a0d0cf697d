-- The inputs of the predicted-value models (docs/predicted-value.md), one row per buyer
-- (a registered user with a valid order up to as_of_date), days as the time
-- unit: frequency = distinct purchase days − 1; recency = days from the first
-- to the last purchase day; T = days from the first purchase day to
-- as_of_date; monetary_value = mean value of the repeat purchase days (a
-- day's value is the sum of its valid orders), null without repeat days.
with

purchase_days as (
    select
        orders.user_id,
        orders.order_date as purchase_date,
        sum(orders.amount) as day_value
    from {{ ref('int_order_facts') }} as orders
    inner join {{ ref('int_users_as_of') }} as users on orders.user_id = users.user_id
    where orders.is_valid
    group by orders.user_id, orders.order_date
),

buyers as (
    select
        user_id,
        count(*) as purchase_days,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        sum(day_value) as total_value,
        {{ last_value_by('day_value', 'purchase_date', first=true) }} as first_day_value
    from purchase_days
    group by user_id
)

select
    buyers.user_id,
    cast(buyers.purchase_days - 1 as bigint) as frequency,
    cast({{ days_between('buyers.first_purchase_date', 'buyers.last_purchase_date') }} as bigint) as recency,
    cast({{ days_between('buyers.first_purchase_date', 'as_of.as_of_date') }} as bigint) as t,
    cast(buyers.total_value - buyers.first_day_value as {{ type_double() }})
    / nullif(buyers.purchase_days - 1, 0) as monetary_value
from buyers
cross join {{ ref('int_as_of_date') }} as as_of
