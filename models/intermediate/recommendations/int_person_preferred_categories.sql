-- Each person's preferred category, where the recommendation fallbacks look
-- first (docs/recommendations.md#when-history-is-thin): the category of their
-- product history with the most affinity; ties go to the lower category.
with

category_affinities as (
    select
        signals.person_id,
        products.category,
        sum(signals.affinity) as affinity
    from {{ ref('int_person_product_signals') }} as signals
    inner join {{ ref('int_recommendation_products') }} as products on signals.product_id = products.product_id
    where products.category is not null
    group by signals.person_id, products.category
),

ranked_categories as (
    select
        person_id,
        category,
        row_number() over (partition by person_id order by affinity desc, category asc) as category_rank
    from category_affinities
)

select
    person_id,
    category
from ranked_categories
where category_rank = 1
