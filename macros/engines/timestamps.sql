{#- Time zones and day counts: text with a zone to UTC, wall-clock time to
    and from UTC, whole days between two dates.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- Whole days from one date to another (end − start). DuckDB subtracts
    dates directly; other warehouses use dbt's datediff. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    cast({{ dbt.datediff(start_date, end_date, 'day') }} as bigint)
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    (cast({{ end_date }} as date) - cast({{ start_date }} as date))
{%- endmacro %}

{#- Text that names its zone or offset to a UTC timestamp; null when unparseable. -#}
{% macro zoned_text_to_utc(value) -%}
    {{ return(adapter.dispatch('zoned_text_to_utc')(value)) }}
{%- endmacro %}

{% macro default__zoned_text_to_utc(value) -%}
    timezone('UTC', {{ try_cast_text(value, 'timestamptz') }})
{%- endmacro %}

{#- Spark's timestamps are instants shown in the session's zone, which the
    profile sets to UTC (docs/engines.md). -#}
{% macro spark__zoned_text_to_utc(value) -%}
    {{ try_cast_text(value, 'timestamp') }}
{%- endmacro %}

{#- A wall-clock timestamp in `zone` (a SQL text expression) to UTC. -#}
{% macro wall_clock_to_utc(timestamp, zone) -%}
    {{ return(adapter.dispatch('wall_clock_to_utc')(timestamp, zone)) }}
{%- endmacro %}

{% macro default__wall_clock_to_utc(timestamp, zone) -%}
    timezone('UTC', timezone({{ zone }}, {{ timestamp }}))
{%- endmacro %}

{% macro spark__wall_clock_to_utc(timestamp, zone) -%}
    to_utc_timestamp({{ timestamp }}, {{ zone }})
{%- endmacro %}

{#- A UTC timestamp as wall-clock time in `zone` (a SQL text expression). -#}
{% macro utc_to_wall_clock(timestamp, zone) -%}
    {{ return(adapter.dispatch('utc_to_wall_clock')(timestamp, zone)) }}
{%- endmacro %}

{% macro default__utc_to_wall_clock(timestamp, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ timestamp }}))
{%- endmacro %}

{% macro spark__utc_to_wall_clock(timestamp, zone) -%}
    from_utc_timestamp({{ timestamp }}, {{ zone }})
{%- endmacro %}
