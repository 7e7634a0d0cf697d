{#- Cleaning rules shared by every staging model (SPEC §2–§4). -#}

{#- An identifier as text (SPEC §2, §4): trimmed, numeric text to its
    integer text ("123.0" -> "123"), then placeholders (var placeholder_ids,
    case-insensitive) to null, so "0.0" and "-1.0" are the placeholders "0"
    and "-1". -#}
{% macro clean_id(column) -%}
    {%- set normalised = "regexp_replace(trim(" ~ column ~ "), '^(-?[0-9]+)\\.0+$', '\\1')" -%}
    case
        when lower({{ normalised }}) in ({{ sql_values(var('placeholder_ids')) }}) then null
        else {{ normalised }}
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

{#- A whole number written as text ("4", "4.0"); anything else gives null. -#}
{% macro parse_integer(column) -%}
    try_cast(regexp_extract(trim({{ column }}), '^(-?[0-9]+)(\.0+)?$', 1) as integer)
{%- endmacro %}

{#- A money amount written as text; anything unparseable gives null. -#}
{% macro parse_amount(column) -%}
    try_cast(trim({{ column }}) as decimal(18, 2))
{%- endmacro %}

{#- A list of strings as a SQL value list, quotes escaped. -#}
{% macro sql_values(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A rule pattern (a regular expression; null = any) against a value
    compared lower-cased, absent = empty text (seed channel_rules). -#}
{% macro matches_rule(value, pattern) -%}
    coalesce(regexp_matches(lower(coalesce({{ value }}, '')), {{ pattern }}), true)
{%- endmacro %}

{#- Personal data never reaches a mart in clear (SPEC §6): a salted SHA-256
    of the value. The salt is the DuckDB variable pii_salt, set from env var
    PII_SALT by plugins/pii_salt.py, so it is never rendered into SQL text,
    artifacts or logs. Only the demo seeds may build without it (with a
    public demo salt); check_settings stops any other build that lacks it. -#}
{% macro pii_hash(column) -%}
    case
        when {{ column }} is not null
            then sha256(coalesce(getvariable('pii_salt'), {{ sql_values([demo_pii_salt()]) }}) || {{ column }})
    end
{%- endmacro %}

{#- The public salt of the demo seeds: not a secret, never used on real data. -#}
{% macro demo_pii_salt() -%}
    {{ return('demo-seeds-only-not-a-secret') }}
{%- endmacro %}

{#- 13800138000 -> *******8000: at most the last 4 digits kept (SPEC §6), too
    little to rebuild the number with the hash. -#}
{% macro mask_phone(column) -%}
    case
        when length({{ column }}) > 4 then repeat('*', length({{ column }}) - 4) || right({{ column }}, 4)
        when {{ column }} is not null then repeat('*', length({{ column }}))
    end
{%- endmacro %}

{#- ann.lee@example.com -> a***@example.com: first character and domain kept. -#}
{% macro mask_email(column) -%}
    case
        when {{ column }} like '%@%' then left({{ column }}, 1) || '***@' || split_part({{ column }}, '@', 2)
        when {{ column }} is not null then '***'
    end
{%- endmacro %}

{#- Whole years from a date to another, birthdays counted exactly. -#}
{% macro age_in_years(birth_date, on_date) -%}
    (
        {{ dbt.datediff(birth_date, on_date, 'year') }}
        - case
            when extract(month from {{ on_date }}) * 100 + extract(day from {{ on_date }})
                < extract(month from {{ birth_date }}) * 100 + extract(day from {{ birth_date }})
                then 1
            else 0
        end
    )
{%- endmacro %}

{#- Whole days from one date to another (end − start). DuckDB subtracts
    dates directly; other warehouses use dbt's datediff. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    (cast({{ end_date }} as date) - cast({{ start_date }} as date))
{%- endmacro %}

{#- An RFM score (SPEC §9): least(5, 1 + floor(5 × percent_rank)), with
    percent_rank = (rank − 1) / (n − 1) (0 when n = 1), in whole numbers. -#}
{% macro rfm_score(rank_column, count_column) -%}
    cast(
        case
            when {{ count_column }} = 1 then 1
            else least(5, 1 + floor((5 * ({{ rank_column }} - 1)) / ({{ count_column }} - 1)))
        end as integer
    )
{%- endmacro %}

{#- Fail the query with a message, from inside SQL (a data-dependent error
    that Jinja cannot see at compile time). -#}
{% macro raise_in_sql(message) -%}
    {{ return(adapter.dispatch('raise_in_sql')(message)) }}
{%- endmacro %}

{% macro default__raise_in_sql(message) -%}
    error({{ sql_values([message]) }})
{%- endmacro %}

{#- Within a group by: the value of `column` on the row that comes last (or
    first) by the comma-separated `order_by` columns; rows where `column` is
    null are skipped. -#}
{% macro last_value_by(column, order_by, first=false) -%}
    {{ return(adapter.dispatch('last_value_by')(column, order_by, first)) }}
{%- endmacro %}

{% macro default__last_value_by(column, order_by, first) -%}
    {{ 'arg_min' if first else 'arg_max' }}({{ column }}, ({{ order_by }}))
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

{#- Personal data in free text (SPEC §6): an email address, or a mobile
    number (optionally +86) standing alone or inside longer text. One
    definition, used to scrub staging and to check that nothing slipped. -#}
{% macro email_pattern() -%}
    [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}
{%- endmacro %}

{% macro phone_pattern() -%}
    (^|[^0-9])((\+|00)?86[ -]?)?1[3-9][0-9]{9}([^0-9]|$)
{%- endmacro %}

{#- Free text with email addresses and phone numbers replaced by [email] and
    [phone], before any mart sees it. -#}
{% macro scrub_personal_data(column) -%}
    regexp_replace(
        regexp_replace({{ column }}, '{{ email_pattern() }}', '[email]', 'g'),
        '{{ phone_pattern() }}', '\1[phone]\4', 'g'
    )
{%- endmacro %}

{#- True when a value holds an email address or a phone number. -#}
{% macro has_personal_data(column) -%}
    (regexp_matches({{ column }}, '{{ email_pattern() }}') or regexp_matches({{ column }}, '{{ phone_pattern() }}'))
{%- endmacro %}

{#- Fail the query with a message built by a SQL expression. -#}
{% macro raise_in_sql_expression(expression) -%}
    {{ return(adapter.dispatch('raise_in_sql_expression')(expression)) }}
{%- endmacro %}

{% macro default__raise_in_sql_expression(expression) -%}
    error({{ expression }})
{%- endmacro %}
