{#- Aggregates and window values written differently by each engine: median,
    the last value by an order, and Spark's listagg.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- dbt.listagg with its order (dbt-spark drops the order; Spark 4 has
    listagg ... within group). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not supported on Spark by this project") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}) {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#- Within a group by: the value of `column` on the row that comes last (or
    first) by `order_by` (comma-separated columns, or one expression); rows
    where `column` or the order is null are skipped. -#}
{% macro last_value_by(column, order_by, first=false) -%}
    {{ return(adapter.dispatch('last_value_by')(column, order_by, first)) }}
{%- endmacro %}

{% macro default__last_value_by(column, order_by, first) -%}
    {{ 'arg_min' if first else 'arg_max' }}({{ column }}, ({{ order_by }}))
{%- endmacro %}

{#- max_by skips a row whose order is null: a row with a null value or a
    null order column gets a null order -#}
{% macro spark__last_value_by(column, order_by, first) -%}
    {%- set conditions = [column ~ ' is not null'] -%}
    {#- column names, or one expression (whose commas are its own) -#}
    {%- for order_column in (order_by.split(',') if '(' not in order_by else [order_by]) -%}
        {%- do conditions.append(order_column | trim ~ ' is not null') -%}
    {%- endfor -%}
    {{ 'min_by' if first else 'max_by' }}({{ column }}, case when {{ conditions | join(' and ') }} then struct({{ order_by }}) end)
{%- endmacro %}

{% macro postgres__last_value_by(column, order_by, first) -%}
    (array_agg({{ column }} order by ({{ order_by }}) {{ 'asc' if first else 'desc' }})
        filter (where {{ column }} is not null and ({{ order_by }}) is not null))[1]
{%- endmacro %}

{#- The median (the mean of the two middle values for an even count). -#}
{% macro median(column) -%}
    {{ return(adapter.dispatch('median')(column)) }}
{%- endmacro %}

{% macro default__median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}

{% macro duckdb__median(column) -%}
    median({{ column }})
{%- endmacro %}
