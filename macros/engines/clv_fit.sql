{#- Where this engine keeps the one-row fit of the predicted-value models
    (docs/predicted-value.md). DuckDB runs the dbt Python model int_clv_fit inside dbt build;
    dbt-postgres and dbt-spark (session) run no dbt Python models, so there
    uw fit runs the same fit between two dbt builds and
    writes the source predicted_value.clv_fit (docs/predicted-value.md). -#}
{% macro clv_fit_relation() -%}
    {{ return(adapter.dispatch('clv_fit_relation')()) }}
{%- endmacro %}

{% macro default__clv_fit_relation() -%}
    {{ return(ref('int_clv_fit')) }}
{%- endmacro %}

{% macro postgres__clv_fit_relation() -%}
    {{ return(fitted_outside_dbt()) }}
{%- endmacro %}

{% macro spark__clv_fit_relation() -%}
    {{ return(fitted_outside_dbt()) }}
{%- endmacro %}

{#- The source predicted_value.clv_fit; a run or build without it (dbt build
    on PostgreSQL or Spark before any fit) stops naming the step it needs. -#}
{% macro fitted_outside_dbt() -%}
    {%- set relation = source('predicted_value', 'clv_fit') -%}
    {%- if execute and flags.WHICH in ['run', 'build'] and load_relation(relation) is none -%}
        {{ exceptions.raise_compiler_error(
            relation ~ " does not exist: on " ~ target.type ~ " the predicted-value fit runs outside dbt. Build with"
            ~ " uw build --target " ~ target.name ~ " (docs/predicted-value.md)") }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
