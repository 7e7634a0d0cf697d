-- Every raw input the build saw (docs/raw-contract.md#files): each file read,
-- each part of a folder on its own, and each other file in raw_path, which
-- nothing reads, as skipped with the reason. Seeds and tables show as read.
{%- set seen = raw_inputs_seen() %}
with

inputs_seen as (
    {%- for input in seen %}
    select
        {{ sql_values([input.read_from]) }} as read_from,
        {{ sql_values([input.relation]) if input.relation else "cast(null as " ~ dbt.type_string() ~ ")" }}
            as relation,
        {{ sql_values([input.status]) }} as status,
        {{ sql_values([input.reason]) if input.reason else "cast(null as " ~ dbt.type_string() ~ ")" }} as reason
    {{ "union all" if not loop.last }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as read_from,
        cast(null as {{ dbt.type_string() }}) as relation,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as reason
    where false
    {%- endfor %}
)

select
    cast(read_from as {{ dbt.type_string() }}) as read_from,
    cast(relation as {{ dbt.type_string() }}) as relation,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(reason as {{ dbt.type_string() }}) as reason
from inputs_seen
