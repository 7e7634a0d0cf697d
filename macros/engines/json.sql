{#- A JSON object as text, written the same way on every engine.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- A JSON object as text from "'key', value" pairs (nulls kept as null). -#}
{% macro json_object_text(pairs) -%}
    {{ return(adapter.dispatch('json_object_text')(pairs)) }}
{%- endmacro %}

{% macro default__json_object_text(pairs) -%}
    cast(json_object({{ pairs | join(', ') }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__json_object_text(pairs) -%}
    cast(json_build_object({{ pairs | join(', ') }}) as text)
{%- endmacro %}

{#- the profile keeps null fields (spark.sql.jsonGenerator.ignoreNullFields) -#}
{% macro spark__json_object_text(pairs) -%}
    to_json(named_struct({{ pairs | join(', ') }}))
{%- endmacro %}
