{#- Casts that differ between engines: a cast that gives null on bad text,
    the double type, Spark's names for types, and the helper functions
    PostgreSQL needs for them (created on-run-start).
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- A text expression cast to a type, or null when it does not parse. DuckDB
    has try_cast; on PostgreSQL the functions that engine_helpers creates
    before the run catch the error. -#}
{% macro try_cast_text(expression, type) -%}
    {{ return(adapter.dispatch('try_cast_text')(expression, type)) }}
{%- endmacro %}

{% macro default__try_cast_text(expression, type) -%}
    try_cast({{ expression }} as {{ type }})
{%- endmacro %}

{#- ANSI mode is off on Spark (dbt-spark sets it), so a cast gives null on
    bad text. Spark also reads '2024' or '2024-1' as times: a date or time must start
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

{#- Apache Spark (docs/engines.md): the type names the project writes
    (contracts, seeds, casts), DuckDB's and PostgreSQL's, in Spark's words.
    Spark 4 wants a length for varchar and has no `double precision`. -#}
{% macro spark_type(type) -%}
    {%- set spark_names = {'varchar': 'string', 'text': 'string', 'double precision': 'double', 'integer': 'int',
        'timestamptz': 'timestamp'} -%}
    {{- return(spark_names.get(type | trim | lower, type)) -}}
{%- endmacro %}

{#- dbt.cast (also how dbt reads a contract's types) with Spark's type names. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}
