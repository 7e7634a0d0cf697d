-- Rejected raw rows per relation and reason (docs/raw-contract.md). The rows themselves,
-- which may hold personal data, stay in the staging *_rejects models.
with

all_relations as (
    {% for name in raw_contract() %}
    select
        '{{ name }}' as relation,
        reject_reason,
        count(*) as rejected_rows
    from {{ ref('stg_' ~ name[4:] ~ '_rejects') }}
    group by reject_reason
    {% if not loop.last %}
    union all
    {% endif %}
    {% endfor %}
)

select
    relation || ':' || reject_reason as relation_reason,
    relation,
    reject_reason,
    cast(rejected_rows as bigint) as rejected_rows
from all_relations
