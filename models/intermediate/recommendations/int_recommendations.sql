-- Products to offer each person with product history (docs/recommendations.md,
-- 个性化推荐; the mart user_recommendations): var recommendations_per_user products they have not bought.
-- First the products similar to their own history, scored by the sum over it
-- of affinity × similarity (a product's similarity to itself is 1, so what
-- they looked at but did not buy counts too), each with the product of their
-- history that gave most; then, when those run short, what sold most in the
-- last var recommendation_popular_days days in their preferred category, then
-- overall. Ties go to the lower product_id.
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

contributions as (
    select
        person_products.person_id,
        neighbours.neighbour_id as product_id,
        person_products.product_id as because_product_id,
        person_products.affinity * neighbours.similarity as contribution
    from person_products
    inner join neighbours on person_products.product_id = neighbours.product_id
),

similar_products as (
    select
        person_id,
        product_id,
        because_product_id,
        sum(contribution) over (partition by person_id, product_id) as score,
        row_number() over (
            partition by person_id, product_id order by contribution desc, because_product_id asc
        ) as because_rank
    from contributions
),

not_bought as (
    select
        similar_products.person_id,
        similar_products.product_id,
        similar_products.because_product_id,
        similar_products.score
    from similar_products
    left join person_products as bought
        on
            similar_products.person_id = bought.person_id
            and similar_products.product_id = bought.product_id
            and bought.is_bought
    -- products whose every signal has decayed to 0 offer nothing
    where similar_products.because_rank = 1 and bought.person_id is null and similar_products.score > 0
),

-- only persons with fewer similar products than a full list need the fallbacks
short_lists as (
    select person_products.person_id
    from person_products
    left join not_bought on person_products.person_id = not_bought.person_id
    group by person_products.person_id
    having count(distinct not_bought.product_id) < {{ per_user }}
),

preferred_categories as (
    select
        person_id,
        category
    from (
        select
            person_products.person_id,
            products.category,
            row_number() over (
                partition by person_products.person_id
                order by sum(person_products.affinity) desc, products.category asc
            ) as category_rank
        from person_products
        inner join short_lists on person_products.person_id = short_lists.person_id
        inner join products on person_products.product_id = products.product_id
        where products.category is not null
        group by person_products.person_id, products.category
    ) as ranked
    where category_rank = 1
),

fallbacks as (
    select
        preferred_categories.person_id,
        products.product_id,
        2 as tier,
        products.recent_buyers
    from preferred_categories
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

candidates as (
    select
        person_id,
        product_id,
        because_product_id,
        1 as tier,
        cast(score as {{ type_double() }}) as score,
        score as exact_score
    from not_bought
    union all
    select
        fallbacks.person_id,
        fallbacks.product_id,
        null as because_product_id,
        fallbacks.tier,
        cast(fallbacks.recent_buyers as {{ type_double() }}) as score,
        cast(fallbacks.recent_buyers as decimal(38, 24)) as exact_score
    from fallbacks
    left join person_products as bought
        on
            fallbacks.person_id = bought.person_id
            and fallbacks.product_id = bought.product_id
            and bought.is_bought
    where bought.person_id is null
),

best_tier as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.person_id, candidates.product_id order by candidates.tier
        ) as tier_rank
    from candidates
),

ranked as (
    select
        best_tier.*,
        row_number() over (
            partition by best_tier.person_id
            order by best_tier.tier asc, best_tier.exact_score desc, best_tier.product_id asc
        ) as recommendation_rank
    from best_tier
    where best_tier.tier_rank = 1
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
