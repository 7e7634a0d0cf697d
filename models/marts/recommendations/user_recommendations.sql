-- Personalised product recommendations (个性化推荐, docs/recommendations.md), from int_recommendations.
select
    cast(person_id as {{ dbt.type_string() }}) as person_id,
    cast(rank as integer) as rank,
    cast(product_id as {{ dbt.type_string() }}) as product_id,
    cast(category as {{ dbt.type_string() }}) as category,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(score as {{ type_double() }}) as score,
    cast(because_product_id as {{ dbt.type_string() }}) as because_product_id
from {{ ref('int_recommendations') }}
