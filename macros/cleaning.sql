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
