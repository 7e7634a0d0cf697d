-- Where every raw row went, per raw relation (docs/raw-contract.md):
-- raw_rows = staged_rows + rejected_rows + duplicates_removed; read_from says
-- which file, table or seed was read.
with

all_relations as (
    {% for name in raw_contract() %}
    select
        '{{ name }}' as relation,
        {{ sql_values([raw_relation_origin(name)]) }} as read_from,
        sum(1 + duplicates_removed) as raw_rows,
        sum(case when reject_reason is null then 1 else 0 end) as staged_rows,
        sum(case when reject_reason is not null then 1 else 0 end) as rejected_rows,
        sum(duplicates_removed) as duplicates_removed
    from {{ ref('base_' ~ name[4:] ~ '_typed') }}
    {% if not loop.last %}
    union all
    {% endif %}
    {% endfor %}
)

select
    relation,
    read_from,
    cast(coalesce(raw_rows, 0) as bigint) as raw_rows,
    cast(coalesce(staged_rows, 0) as bigint) as staged_rows,
    cast(coalesce(rejected_rows, 0) as bigint) as rejected_rows,
    cast(coalesce(duplicates_removed, 0) as bigint) as duplicates_removed,
    cast(coalesce(rejected_rows, 0) as {{ type_double() }}) / nullif(raw_rows, 0) as rejected_share
from all_relations
