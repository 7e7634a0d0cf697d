{#- A raw relation as the raw contract's columns, all as text, with exact
    duplicate rows folded into one row that counts its copies in n_copies
    (SPEC §2). Rows are exact duplicates when every column the relation holds
    is equal, contract or not, so two order lines that differ only in a column
    the contract does not name are both kept. raw_row_id is the md5 of all
    those values as a JSON array (columns by lower-cased name), unique once
    duplicates are folded. Optional columns absent from the data come back as
    nulls; a missing required column stops the run naming both the relation
    and the column. -#}
{% macro deduplicated_raw(name) -%}
    {%- set contract = raw_contract()[name] -%}
    {%- set columns = contract.required + contract.optional -%}
    {%- set relation = raw_relation(name) -%}
    {%- if relation is none -%}
        {#- raw_users and one of raw_events / raw_orders are required: check_settings
            (on-run-start, raw_data_problems) stopped the run already if they are absent. -#}
        {%- do exceptions.warn("raw relation " ~ name ~ " was not found (raw_source " ~ var('raw_source')
            ~ "); it builds as empty and the outputs that depend on it are empty or null") -%}
        select
        {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
            cast(0 as bigint) as n_copies,
            cast(null as {{ dbt.type_string() }}) as raw_row_id
        where false
    {%- else -%}
        {%- set present = raw_columns(relation, columns) -%}
        {%- for column in contract.required if column not in present -%}
            {{ exceptions.raise_compiler_error(
                "raw relation " ~ name ~ " has no column '" ~ column ~ "' (required: "
                ~ contract.required | join(', ') ~ "; found: " ~ present.keys() | list | join(', ') ~ ")") }}
        {%- endfor %}
        {%- set held = present.keys() | list | sort -%}
        select
        {%- for column in columns %}
            {%- if column in present %}
            file_column_{{ held.index(column) }} as {{ column }},
            {%- else %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
            {%- endif %}
        {%- endfor %}
            n_copies,
            md5(cast(to_json([
                {%- for column in held %}file_column_{{ loop.index0 }}{{ ", " if not loop.last }}{% endfor -%}
            ]) as {{ dbt.type_string() }})) as raw_row_id
        from (
            select
            {%- for column in held %}
                cast({{ adapter.quote(present[column]) }} as {{ dbt.type_string() }}) as file_column_{{ loop.index0 }},
            {%- endfor %}
                count(*) as n_copies
            from {{ relation }}
            group by all
        ) as folded
    {%- endif -%}
{%- endmacro %}

{#- Lower-cased column name -> column name as the data spells it. -#}
{% macro raw_columns(relation, expected) -%}
    {#- At parse time nothing can be queried, and the lint target (an empty
        in-memory database) has no raw data: assume the contract's columns. -#}
    {%- set introspect = execute and target.name != 'lint' -%}
    {%- set names = run_query("select * from " ~ relation ~ " limit 0").column_names if introspect else expected -%}
    {%- set found = {} -%}
    {%- for column_name in names -%}
        {%- do found.update({column_name | lower: column_name}) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
