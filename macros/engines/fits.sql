{#- Where this engine keeps a fit made in Python (docs/predicted-value.md,
    docs/rules/churn-warning.md#churn-probability). DuckDB runs the dbt Python
    model (`model`) inside dbt build; dbt-postgres and dbt-spark (session) run
    no dbt Python models, so there uw fit runs the same fit between two dbt
    builds and writes the table `table` of the source `source_name`; `what`
    names the fit in the message when that table is missing. -#}
{% macro fit_relation(model, source_name, table, what) -%}
    {{ return(adapter.dispatch('fit_relation')(model, source_name, table, what)) }}
{%- endmacro %}

{% macro default__fit_relation(model, source_name, table, what) -%}
    {{ return(ref(model)) }}
{%- endmacro %}

{% macro postgres__fit_relation(model, source_name, table, what) -%}
    {{ return(fitted_outside_dbt(source_name, table, what)) }}
{%- endmacro %}

{% macro spark__fit_relation(model, source_name, table, what) -%}
    {{ return(fitted_outside_dbt(source_name, table, what)) }}
{%- endmacro %}

{#- The source table a fit outside dbt writes; a run or build without it (dbt
    build on PostgreSQL or Spark before any fit) stops naming the step it needs. -#}
{% macro fitted_outside_dbt(source_name, table, what) -%}
    {%- set relation = source(source_name, table) -%}
    {%- if execute and flags.WHICH in ['run', 'build'] and load_relation(relation) is none -%}
        {{ exceptions.raise_compiler_error(
            relation ~ " does not exist: on " ~ target.type ~ " the " ~ what ~ " runs outside dbt. Build with"
            ~ " uw build --target " ~ target.name ~ " (docs/predicted-value.md)") }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
