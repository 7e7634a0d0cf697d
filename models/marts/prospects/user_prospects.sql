-- Prospects (潜客名单, docs/prospects.md): registered users without a valid
-- order on as_of_date, likeliest first, with why.
select
    cast(user_id as {{ dbt.type_string() }}) as user_id,
    cast(purchase_probability as {{ type_double() }}) as purchase_probability,
    cast(prospect_rank as bigint) as rank,
    cast(prospect_decile as integer) as decile,
    cast(reasons as {{ dbt.type_string() }}) as reasons,
    cast({{ var('prospect_horizon_days') }} as integer) as horizon_days
from {{ ref('int_prospect_ranks') }}
