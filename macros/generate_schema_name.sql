{#- Plain schema names a BI user expects (raw, staging, intermediate, marts),
    not dbt's default <target>_<custom> concatenation; where the engine builds
    them is build_schema()'s choice (macros/engines/capabilities.sql). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ build_schema((custom_schema_name or target.schema) | trim) }}
{%- endmacro %}
