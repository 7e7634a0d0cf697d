-- One row per product with any signal up to as_of_date
-- (docs/recommendations.md#when-history-is-thin): its category (the one most
-- persons' rows give; ties: the first by name), how many persons have it in
-- their history, and how many bought it in the last var
-- recommendation_popular_days days, ranked overall and within the category.
with

person_products as (
    select * from {{ ref('int_person_product_signals') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

category_votes as (
    select
        product_id,
        category,
        row_number() over (partition by product_id order by count(*) desc, category asc) as vote_rank
    from person_products
    where category is not null
    group by product_id, category
),

days_since_bought as (
    select
        person_products.product_id,
        {{ days_between('person_products.last_bought_date', 'as_of.as_of_date') }} as days_since
    from person_products
    cross join as_of
),

product_counts as (
    select
        product_id,
        cast(count(*) as bigint) as persons,
        cast(sum(case when days_since < {{ var('recommendation_popular_days') }} then 1 else 0 end) as bigint)
            as recent_buyers
    from days_since_bought
    group by product_id
),

products as (
    select
        product_counts.product_id,
        category_votes.category,
        product_counts.persons,
        product_counts.recent_buyers
    from product_counts
    left join category_votes on product_counts.product_id = category_votes.product_id and category_votes.vote_rank = 1
)

select
    product_id,
    category,
    persons,
    recent_buyers,
    case
        when recent_buyers > 0
            then cast(row_number() over (order by recent_buyers desc, product_id asc) as bigint)
    end as popularity_rank,
    case
        when recent_buyers > 0 and category is not null
            then cast(row_number() over (partition by category order by recent_buyers desc, product_id asc) as bigint)
    end as category_popularity_rank
from products
