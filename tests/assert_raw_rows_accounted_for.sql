-- docs/raw-contract.md: per raw relation, raw rows = staged + rejected + duplicates removed.
-- Counts the raw relation itself, independently of the staging models, and
-- returns one row per relation where the books do not balance.
with

books as (
    {% for name in raw_contract() %}
    {% set relation = raw_relation(name) %}
    select
        '{{ name }}' as relation,
        {% if relation is none %}0{% else %}(select count(*) from {{ relation }}){% endif %} as raw_rows,
        (select count(*) from {{ ref('stg_' ~ name[4:]) }}) as staged_rows,
        (select count(*) from {{ ref('stg_' ~ name[4:] ~ '_rejects') }}) as rejected_rows,
        (
            select coalesce(sum(duplicates_removed), 0) from {{ ref('base_' ~ name[4:] ~ '_typed') }}
        ) as duplicates_removed
    {% if not loop.last %}
    union all
    {% endif %}
    {% endfor %}
)

select
    relation,
    raw_rows,
    staged_rows,
    rejected_rows,
    duplicates_removed
from books
where raw_rows != staged_rows + rejected_rows + duplicates_removed
