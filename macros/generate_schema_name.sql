{#- Plain schema names a BI user expects (raw, staging, intermediate, marts),
    not dbt's default <target>_<custom> concatenation. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
