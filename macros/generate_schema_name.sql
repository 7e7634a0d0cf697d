{#- Plain schema names a BI user expects (raw, staging, intermediate, marts),
    not dbt's default <target>_<custom> concatenation. On PostgreSQL, where BI
    tools share the database, dbt builds the marts into marts_build and
    scripts/publish.py swaps a copy in as `marts` when the build passed. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set name = (custom_schema_name or target.schema) | trim -%}
    {{ 'marts_build' if name == 'marts' and target.type == 'postgres' else name }}
{%- endmacro %}
