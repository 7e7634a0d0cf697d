-- Where every raw row went, per raw relation (docs/raw-contract.md):
-- raw_rows = staged_rows + rejected_rows + duplicates_removed; read_from says
-- which file, table or seed was read; newest_data_at dates the newest staged
-- row, which `uw freshness` holds against max_data_age_days.
{%- set contract = raw_contract() %}
with

{% for name, relation in contract.items() if relation.time_from is defined %}
{%- set parent = relation.time_from %}
{{ name }}_newest as (
    select max(parent_rows.{{ contract[parent.relation].time }}) as newest_data_at
    from {{ ref('base_' ~ name[4:] ~ '_typed') }} as child_rows
    inner join {{ ref('base_' ~ parent.relation[4:] ~ '_typed') }} as parent_rows
        on child_rows.{{ parent.key }} = parent_rows.{{ parent.key }}
    where child_rows.reject_reason is null and parent_rows.reject_reason is null
),

{% endfor %}
all_relations as (
    {% for name, relation in contract.items() %}
    select
        '{{ name }}' as relation,
        {{ sql_values([raw_relation_origin(name)]) }} as read_from,
        sum(1 + typed_rows.duplicates_removed) as raw_rows,
        sum(case when typed_rows.reject_reason is null then 1 else 0 end) as staged_rows,
        sum(case when typed_rows.reject_reason is not null then 1 else 0 end) as rejected_rows,
        sum(typed_rows.duplicates_removed) as duplicates_removed,
        {% if relation.time is defined %}
        max(case when typed_rows.reject_reason is null then typed_rows.{{ relation.time }} end) as newest_data_at
        {% else %}
        max({{ name }}_newest.newest_data_at) as newest_data_at
        {% endif %}
    from {{ ref('base_' ~ name[4:] ~ '_typed') }} as typed_rows
    {% if relation.time is not defined %}
    cross join {{ name }}_newest
    {% endif %}
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
    cast(coalesce(rejected_rows, 0) as {{ type_double() }}) / nullif(raw_rows, 0) as rejected_share,
    cast(newest_data_at as {{ dbt.type_timestamp() }}) as newest_data_at
from all_relations
