{#- Regular expressions: a group's match, replace every match, does it match.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- The text that a pattern's first parenthesised group matched, or null. -#}
{% macro pattern_group(value, pattern) -%}
    {{ return(adapter.dispatch('pattern_group')(value, pattern)) }}
{%- endmacro %}

{% macro default__pattern_group(value, pattern) -%}
    nullif(regexp_extract({{ value }}, {{ pattern }}, 1), '')
{%- endmacro %}

{% macro postgres__pattern_group(value, pattern) -%}
    substring({{ value }} from {{ pattern }})
{%- endmacro %}

{#- Every match of a regular expression replaced; `replacement` is a SQL
    text literal that names groups as \1 … \9. -#}
{% macro replace_pattern(value, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_pattern')(value, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_pattern(value, pattern, replacement) -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{#- Spark replaces every match, and names groups $1 … $9 -#}
{% macro spark__replace_pattern(value, pattern, replacement) -%}
    {%- set spark_replacement = namespace(text=replacement) -%}
    {%- for group in range(1, 10) -%}
        {%- set spark_replacement.text = spark_replacement.text.replace('\\' ~ group, '$' ~ group) -%}
    {%- endfor -%}
    regexp_replace({{ value }}, {{ pattern }}, {{ spark_replacement.text }})
{%- endmacro %}

{#- True when a value (as text) matches a regular expression; null never
    matches. -#}
{% macro matches_pattern(value, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern')(value, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(value, pattern) -%}
    coalesce(regexp_matches({{ value }}, {{ pattern }}), false)
{%- endmacro %}

{% macro postgres__matches_pattern(value, pattern) -%}
    coalesce({{ value }} ~ {{ pattern }}, false)
{%- endmacro %}

{% macro spark__matches_pattern(value, pattern) -%}
    coalesce({{ value }} rlike {{ pattern }}, false)
{%- endmacro %}
