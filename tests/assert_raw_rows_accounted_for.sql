-- SPEC §2: per raw relation, raw rows = staged + rejected + duplicates removed.
-- Counts the raw relation itself, independently of the staging models.
-- Returns one row per relation where the books do not balance.
{% for name in raw_contract() %}
{%- set relation = raw_relation(name) %}
select
    '{{ name }}' as relation,
    raw_count.raw_rows,
    staged.staged_rows,
    rejected.rejected_rows,
    folded.duplicates_removed
from
    {%- if relation is none %}
    (select 0 as raw_rows) as raw_count
    {%- else %}
    (select count(*) as raw_rows from {{ relation }}) as raw_count
    {%- endif %}
cross join (select count(*) as staged_rows from {{ ref('stg_' ~ name[4:]) }}) as staged
cross join (select count(*) as rejected_rows from {{ ref('stg_' ~ name[4:] ~ '_rejects') }}) as rejected
cross join (
    select coalesce(sum(duplicates_removed), 0) as duplicates_removed
    from {{ ref('base_' ~ name[4:]) }}
) as folded
where raw_count.raw_rows != staged.staged_rows + rejected.rejected_rows + folded.duplicates_removed
{% if not loop.last %}union all{% endif %}
{% endfor %}
