-- Each product's nearest neighbours (docs/recommendations.md#similar-products):
-- two products are similar when the same persons have both in their history,
-- by Jaccard's index: persons with both / persons with either. Each person's
-- var recommendation_max_history most affine products count, so that the pairs
-- grow with persons, not with the square of a heavy user's history; a pair
-- needs var recommendation_min_support persons, and each product keeps its var
-- recommendation_neighbours most similar (ties: the lower product_id).
with

history as (
    select
        person_id,
        product_id
    from (
        select
            person_id,
            product_id,
            row_number() over (partition by person_id order by affinity desc, product_id asc) as history_rank
        from {{ ref('int_person_product_signals') }}
    ) as ranked
    where history_rank <= {{ var('recommendation_max_history') }}
),

product_persons as (
    select
        product_id,
        count(*) as persons
    from history
    group by product_id
),

pairs as (
    select
        history.product_id,
        other.product_id as neighbour_id,
        count(*) as shared_persons
    from history
    inner join history as other on history.person_id = other.person_id and history.product_id != other.product_id
    group by history.product_id, other.product_id
    having count(*) >= {{ var('recommendation_min_support') }}
),

similarities as (
    select
        pairs.product_id,
        pairs.neighbour_id,
        cast(pairs.shared_persons as bigint) as shared_persons,
        cast(
            cast(pairs.shared_persons as {{ type_double() }})
            / (product_persons.persons + neighbour_persons.persons - pairs.shared_persons)
            as decimal(13, 12)
        ) as similarity
    from pairs
    inner join product_persons on pairs.product_id = product_persons.product_id
    inner join product_persons as neighbour_persons on pairs.neighbour_id = neighbour_persons.product_id
),

ranked as (
    select
        similarities.*,
        cast(row_number() over (
            partition by similarities.product_id
            order by similarities.similarity desc, similarities.neighbour_id asc
        ) as bigint) as neighbour_rank
    from similarities
)

select
    product_id,
    neighbour_id,
    shared_persons,
    similarity,
    neighbour_rank
from ranked
where neighbour_rank <= {{ var('recommendation_neighbours') }}
