{#- Rounding doubles, and numbers written as text alike on every engine.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

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
