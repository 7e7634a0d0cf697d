-- Products to offer each person with product history, best first (docs/recommendations.md,
-- 个性化推荐): products similar to their history, with the product of it that gave most; lists
-- still short fill up with what sells in their preferred category, then overall.
{{ config(materialized='view') }}
{%- set per_user = var('recommendations_per_user') %}
with

person_products as (
    select
        person_id,
        product_id,
        affinity,
        is_bought
    from {{ ref('int_person_product_signals') }}
),

products as (
    select
        product_id,
        category,
        recent_buyers,
        popularity_rank,
        category_popularity_rank
    from {{ ref('int_recommendation_products') }}
),

neighbours as (
    select
        product_id,
        neighbour_id,
        similarity
    from {{ ref('int_product_similarity') }}
    union all
    select
        product_id,
        product_id as neighbour_id,
        cast(1 as decimal(13, 12)) as similarity
    from products
),

-- one hash aggregate per person and product their history leads to, not windows over every
-- contribution (126M rows at one million users: 200 s); the largest finds the because-product
candidate_scores as (
    select
        person_products.person_id,
        neighbours.neighbour_id as product_id,
        sum(person_products.affinity * neighbours.similarity) as score,
        max(person_products.affinity * neighbours.similarity) as top_contribution
    from person_products
    inner join neighbours on person_products.product_id = neighbours.product_id
    group by person_products.person_id, neighbours.neighbour_id
),

similar_products as (
    select
        candidate_scores.person_id,
        candidate_scores.product_id,
        candidate_scores.score,
        candidate_scores.top_contribution,
        row_number() over (
            partition by candidate_scores.person_id
            order by candidate_scores.score desc, candidate_scores.product_id asc
        ) as similar_rank
    from candidate_scores
    left join person_products as bought
        on
            candidate_scores.person_id = bought.person_id
            and candidate_scores.product_id = bought.product_id
            and bought.is_bought
    -- products whose every signal has decayed to 0 offer nothing
    where bought.person_id is null and candidate_scores.score > 0
),

-- the product of the history that gave the largest contribution, the lower id on ties
top_similar as (
    select
        similar_products.person_id,
        similar_products.product_id,
        similar_products.score,
        similar_products.similar_rank,
        min(person_products.product_id) as because_product_id
    from similar_products
    inner join person_products on similar_products.person_id = person_products.person_id
    inner join neighbours
        on
            person_products.product_id = neighbours.product_id
            and similar_products.product_id = neighbours.neighbour_id
    where
        similar_products.similar_rank <= {{ per_user }}
        and person_products.affinity * neighbours.similarity = similar_products.top_contribution
    group by
        similar_products.person_id, similar_products.product_id, similar_products.score, similar_products.similar_rank
),

similar_counts as (
    select
        person_id,
        count(*) as similar_products
    from top_similar
    group by person_id
),

-- only persons with fewer similar products than a full list need the fallbacks
short_lists as (
    select
        person_products.person_id,
        coalesce(max(similar_counts.similar_products), 0) as similar_products
    from person_products
    left join similar_counts on person_products.person_id = similar_counts.person_id
    group by person_products.person_id
    having coalesce(max(similar_counts.similar_products), 0) < {{ per_user }}
),

fallbacks as (
    select
        preferred_categories.person_id,
        products.product_id,
        2 as tier,
        products.recent_buyers
    from {{ ref('int_person_preferred_categories') }} as preferred_categories
    inner join short_lists on preferred_categories.person_id = short_lists.person_id
    inner join products
        on
            preferred_categories.category = products.category
            and products.category_popularity_rank <= 2 * {{ per_user }}
    union all
    select
        short_lists.person_id,
        products.product_id,
        3 as tier,
        products.recent_buyers
    from short_lists
    cross join products
    where products.popularity_rank <= 2 * {{ per_user }}
),

-- a product in both fallbacks keeps the first; what the person bought or
-- already has among the similar products is left out
fallback_products as (
    select
        fallbacks.person_id,
        fallbacks.product_id,
        min(fallbacks.tier) as tier,
        max(fallbacks.recent_buyers) as recent_buyers
    from fallbacks
    left join person_products as bought
        on
            fallbacks.person_id = bought.person_id
            and fallbacks.product_id = bought.product_id
            and bought.is_bought
    left join top_similar
        on
            fallbacks.person_id = top_similar.person_id
            and fallbacks.product_id = top_similar.product_id
    where bought.person_id is null and top_similar.person_id is null
    group by fallbacks.person_id, fallbacks.product_id
),

-- full lists are ranked already; fallbacks rank after the similar products
ranked as (
    select
        person_id,
        product_id,
        because_product_id,
        1 as tier,
        cast(score as {{ type_double() }}) as score,
        similar_rank as recommendation_rank
    from top_similar
    union all
    select
        fallback_products.person_id,
        fallback_products.product_id,
        null as because_product_id,
        fallback_products.tier,
        cast(fallback_products.recent_buyers as {{ type_double() }}) as score,
        short_lists.similar_products + row_number() over (
            partition by fallback_products.person_id
            order by fallback_products.tier asc, fallback_products.recent_buyers desc, fallback_products.product_id asc
        ) as recommendation_rank
    from fallback_products
    inner join short_lists on fallback_products.person_id = short_lists.person_id
)

select
    cast(ranked.person_id as {{ dbt.type_string() }}) as person_id,
    cast(ranked.recommendation_rank as integer) as rank,
    cast(ranked.product_id as {{ dbt.type_string() }}) as product_id,
    cast(products.category as {{ dbt.type_string() }}) as category,
    cast(
        case ranked.tier when 1 then 'similar_products' when 2 then 'popular_in_category' else 'popular' end
        as {{ dbt.type_string() }}
    ) as reason,
    ranked.score,
    cast(ranked.because_product_id as {{ dbt.type_string() }}) as because_product_id
from ranked
inner join products on ranked.product_id = products.product_id
where ranked.recommendation_rank <= {{ per_user }}
