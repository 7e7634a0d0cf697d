{#- Cleaning rules shared by every staging model (SPEC §2–§4). -#}

{#- An identifier as text: trimmed, "123.0" back to "123", placeholders
    (var placeholder_ids, case-insensitive) to null. -#}
{% macro clean_id(column) -%}
    case
        when lower(trim({{ column }})) in ({{ sql_values(var('placeholder_ids')) }}) then null
        else regexp_replace(trim({{ column }}), '^(-?[0-9]+)\.0+$', '\1')
    end
{%- endmacro %}

{#- Free text: trimmed, empty to null. -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- A code compared by value: lower-cased, spaces and dashes to underscores. -#}
{% macro clean_code(column) -%}
    nullif(regexp_replace(lower(trim({{ column }})), '[\s-]+', '_', 'g'), '')
{%- endmacro %}

{#- ISO-8601 text (or a native timestamp cast to text) to a UTC timestamp.
    Text with an offset or Z is converted from that offset; naive text is read
    in var('source_timezone'). Unparseable text gives null. -#}
{% macro parse_timestamp(column) -%}
    case
        when regexp_matches(trim({{ column }}), '[0-9]:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone('UTC', try_cast(trim({{ column }}) as timestamptz))
        else timezone('UTC', timezone('{{ var("source_timezone") }}', try_cast(trim({{ column }}) as timestamp)))
    end
{%- endmacro %}

{#- A whole number written as text ("4", "4.0"); anything else gives null. -#}
{% macro parse_integer(column) -%}
    try_cast(regexp_extract(trim({{ column }}), '^(-?[0-9]+)(\.0+)?$', 1) as integer)
{%- endmacro %}

{#- A money amount written as text; anything unparseable gives null. -#}
{% macro parse_amount(column) -%}
    try_cast(trim({{ column }}) as decimal(18, 2))
{%- endmacro %}

{#- dbt's run start (UTC) as a timestamp literal: the only use of the clock,
    to reject future timestamps (SPEC §3). -#}
{% macro run_started_at_utc() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}

{#- A list of strings as a SQL value list, quotes escaped. -#}
{% macro sql_values(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The as-of date of SPEC §3 as a scalar expression, for every later model. -#}
{% macro as_of_date() -%}
    (select as_of_date from {{ ref('int_as_of_date') }})
{%- endmacro %}

{#- A rule pattern (a regular expression; null = any) against a value
    compared lower-cased, absent = empty text (seed channel_rules). -#}
{% macro matches_rule(value, pattern) -%}
    coalesce(regexp_matches(lower(coalesce({{ value }}, '')), {{ pattern }}), true)
{%- endmacro %}
