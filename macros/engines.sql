{#- Casts and patterns that differ between engines (adapter.dispatch, DuckDB
    as the default; docs/engines.md lists every difference). -#}

{#- A text expression cast to a type, or null when it does not parse. DuckDB
    has try_cast; on PostgreSQL the functions that engine_helpers creates
    before the run catch the error. -#}
{% macro try_cast_text(expression, type) -%}
    {{ return(adapter.dispatch('try_cast_text')(expression, type)) }}
{%- endmacro %}

{% macro default__try_cast_text(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#- ANSI mode is off on Spark (dbt-spark sets it), so a cast gives null on bad text -#}
{#- Spark also reads '2024' or '2024-1' as times: a date or time must start
    with a full year-month-day, as DuckDB and PostgreSQL require. -#}
{% macro spark__try_cast_text(expression, type) -%}
    {%- if type in ['timestamp', 'timestamptz', 'date'] -%}
    case when {{ expression }} rlike '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ]|$)' then cast({{ expression }} as {{ spark_type(type) }}) end
    {%- else -%}
    cast({{ expression }} as {{ spark_type(type) }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres__try_cast_text(expression, type) -%}
    {{ helpers_schema() }}.try_cast_{{ type.split('(')[0] | trim }}({{ expression }})
    {%- if '(' in type %}::{{ type }}{% endif %}
{%- endmacro %}

{#- The text that a pattern's first parenthesised group matched, or null. -#}
{% macro pattern_group(value, pattern) -%}
    {{ return(adapter.dispatch('pattern_group')(value, pattern)) }}
{%- endmacro %}

{% macro default__pattern_group(value, pattern) -%}
    nullif(regexp_extract({{ value }}, {{ pattern }}, 1), '')
{%- endmacro %}

{% macro spark__pattern_group(value, pattern) -%}
    nullif(regexp_extract({{ value }}, {{ pattern }}, 1), '')
{%- endmacro %}

{% macro postgres__pattern_group(value, pattern) -%}
    substring({{ value }} from {{ pattern }})
{%- endmacro %}

{#- The schema of the helper functions on PostgreSQL. -#}
{% macro helpers_schema() -%}
    {{ return(target.schema ~ '_helpers') }}
{%- endmacro %}

{#- on-run-start: the helper functions an engine needs (PostgreSQL: a cast
    that gives null instead of failing, per type). -#}
{% macro engine_helpers() -%}
    {{ return(adapter.dispatch('engine_helpers')()) }}
{%- endmacro %}

{% macro default__engine_helpers() -%}
    select 1 as engine_helpers
{%- endmacro %}

{% macro postgres__engine_helpers() -%}
    create schema if not exists {{ helpers_schema() }};
    {%- for type in ['timestamp', 'timestamptz', 'date', 'integer', 'decimal'] %}
    create or replace function {{ helpers_schema() }}.try_cast_{{ type }}(value text) returns {{ type }}
    language plpgsql stable as $$
    begin
        return cast(value as {{ type }});
    exception when others then
        return null;
    end;
    $$;
    {%- endfor %}
    create or replace function {{ helpers_schema() }}.raise_error(message text) returns text
    language plpgsql as $$
    begin
        raise exception '%', message;
    end;
    $$;
{%- endmacro %}

{#- The double-precision float type. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

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

{#- A number rounded to `places` decimals, as a double (PostgreSQL rounds
    numerics only; as a double it prints as DuckDB does: 0.5, not 0.500). -#}
{% macro round_double(expression, places) -%}
    {{ return(adapter.dispatch('round_double')(expression, places)) }}
{%- endmacro %}

{% macro default__round_double(expression, places) -%}
    round(cast({{ expression }} as double), {{ places }})
{%- endmacro %}

{% macro postgres__round_double(expression, places) -%}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{%- endmacro %}

{#- A number rounded to `places` decimals, as text written the same on every
    engine: as DuckDB writes a double (10.0, 0.5, 0.123). -#}
{% macro rounded_text(expression, places) -%}
    {{ return(adapter.dispatch('rounded_text')(expression, places)) }}
{%- endmacro %}

{% macro default__rounded_text(expression, places) -%}
    cast({{ round_double(expression, places) }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- PostgreSQL writes a whole double without decimals (10): add the ".0". -#}
{% macro postgres__rounded_text(expression, places) -%}
    case
        when {{ round_double(expression, places) }} = trunc({{ round_double(expression, places) }})
            then cast(cast({{ round_double(expression, places) }} as bigint) as text) || '.0'
        else cast({{ round_double(expression, places) }} as text)
    end
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
