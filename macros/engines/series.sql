{#- Series generated in SQL: one row per day, one row per integer.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- A from-clause item: one row per day from start_date to end_date (dates),
    the day as a timestamp in column day_start. -#}
{% macro day_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_series')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    unnest(generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval 1 day
    )) as series (day_start)
{%- endmacro %}

{% macro spark__day_series(start_date, end_date) -%}
    lateral explode(sequence(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval 1 day
    )) as series (day_start)
{%- endmacro %}

{% macro postgres__day_series(start_date, end_date) -%}
    generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 day'
    ) as series (day_start)
{%- endmacro %}

{#- A from-clause item: one row per whole number from first to last (both
    bigint expressions, which may name columns of the tables before it), the
    number in column n. -#}
{% macro integer_series(first, last) -%}
    {{ return(adapter.dispatch('integer_series')(first, last)) }}
{%- endmacro %}

{% macro default__integer_series(first, last) -%}
    unnest(generate_series(cast({{ first }} as bigint), cast({{ last }} as bigint))) as series (n)
{%- endmacro %}

{% macro spark__integer_series(first, last) -%}
    lateral explode(sequence(cast({{ first }} as bigint), cast({{ last }} as bigint))) as series (n)
{%- endmacro %}

{% macro postgres__integer_series(first, last) -%}
    generate_series(cast({{ first }} as bigint), cast({{ last }} as bigint)) as series (n)
{%- endmacro %}
