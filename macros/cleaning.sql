{#- Cleaning rules shared by the staging models (docs/raw-contract.md–§4): identifiers,
    text, codes and numbers as written in raw files. -#}

{#- An identifier as text (docs/raw-contract.md, docs/rules/identity-and-sessions.md): trimmed, numeric text to its
    integer text ("123.0" -> "123"), then placeholders (var placeholder_ids,
    case-insensitive) to null, so "0.0" and "-1.0" are the placeholders "0"
    and "-1". -#}
{% macro clean_id(column) -%}
    {%- set normalised = replace_pattern("trim(" ~ column ~ ")", "'^(-?[0-9]+)\\.0+$'", "'\\1'") -%}
    case
        when lower({{ normalised }}) in ({{ sql_values(var('placeholder_ids')) }}) then null
        else {{ normalised }}
    end
{%- endmacro %}

{#- Free text: trimmed, empty to null. -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- The longest text a free-text column keeps (var max_text_length: the
    column's own entry, else default); longer values become null and are
    counted as too_long (docs/raw-contract.md#settings). -#}
{% macro max_text_length(column_name) -%}
    {%- set limits = var('max_text_length') -%}
    {{ return(limits.get(column_name, limits['default'])) }}
{%- endmacro %}

{#- The free-text columns of the events that var max_text_length limits
    (the other relations' are checked in their own base models). -#}
{% macro event_free_text_columns() -%}
    {{ return(['page_url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'search_term', 'category']) }}
{%- endmacro %}

{#- Cleaned free text, or null when longer than its limit. -#}
{% macro text_within_limit(column) -%}
    case
        when length({{ clean_text(column) }}) <= {{ max_text_length(column) }} then {{ clean_text(column) }}
    end
{%- endmacro %}

{#- The free-text columns whose value is longer than its limit, as ',a,b,'
    (null when none is): one column to store whatever the number of columns,
    read back with like '%,name,%'. -#}
{% macro too_long_columns(columns) -%}
    nullif(
        {%- for column in columns %}
        coalesce(case when length({{ clean_text(column) }}) > {{ max_text_length(column) }} then ',{{ column }},' end, '')
        {{- " ||" if not loop.last }}
        {%- endfor %},
        ''
    )
{%- endmacro %}

{#- A code compared by value: lower-cased, spaces and dashes to underscores. -#}
{% macro clean_code(column) -%}
    nullif({{ replace_pattern('lower(trim(' ~ column ~ '))', "'[\\s-]+'", "'_'") }}, '')
{%- endmacro %}

{#- A whole number written as text ("4", "4.0"); anything else gives null. -#}
{% macro parse_integer(column) -%}
    {{ try_cast_text(pattern_group('trim(' ~ column ~ ')', "'^(-?[0-9]+)(\\.0+)?$'"), 'integer') }}
{%- endmacro %}

{#- A money amount written as text in plain decimal notation with at most two
    decimal places (trailing zeros aside: 10.500 is 10.50); anything else
    gives null, so that 1e3, 1_000 or 10.005 is rejected, never read as
    1000 or rounded to 10.01 (docs/reject-reasons.md). -#}
{% macro parse_amount(column) -%}
    {{ try_cast_text(pattern_group('trim(' ~ column ~ ')', "'^([+-]?[0-9]*(\\.[0-9]{1,2})?)0*$'"), 'decimal(18, 2)') }}
{%- endmacro %}
