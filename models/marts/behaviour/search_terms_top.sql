-- The most searched terms up to as_of_date (docs/rules/operating-metrics.md): terms compared
-- lower-cased and trimmed; the top var search_terms_top_n by searches, ties
-- by term.
with

searches as (
    select
        lower(trim(search_term)) as search_term,
        person_id,
        event_date
    from {{ ref('fct_events') }}
    where
        event_type = 'search'
        and search_term is not null
),

terms as (
    select
        search_term,
        count(*) as searches,
        count(distinct person_id) as searchers,
        min(event_date) as first_searched_on,
        max(event_date) as last_searched_on
    from searches
    group by search_term
),

ranked as (
    select
        *,
        row_number() over (order by searches desc, search_term asc) as search_rank
    from terms
)

select
    cast(search_rank as integer) as search_rank,
    search_term,
    cast(searches as bigint) as searches,
    cast(searchers as bigint) as searchers,
    first_searched_on,
    last_searched_on
from ranked
where search_rank <= {{ var('search_terms_top_n') }}
