{#- Failing a query from SQL with a message (a check that names its rows).
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- Fail the query with a message, from inside SQL (a data-dependent error
    that Jinja cannot see at compile time). -#}
{% macro raise_in_sql(message) -%}
    {{ return(adapter.dispatch('raise_in_sql')(message)) }}
{%- endmacro %}

{% macro default__raise_in_sql(message) -%}
    error({{ sql_values([message]) }})
{%- endmacro %}

{% macro spark__raise_in_sql(message) -%}
    raise_error({{ sql_values([message]) }})
{%- endmacro %}

{% macro postgres__raise_in_sql(message) -%}
    {{ helpers_schema() }}.raise_error({{ sql_values([message]) }})
{%- endmacro %}

{#- Fail the query with a message built by a SQL expression. -#}
{% macro raise_in_sql_expression(expression) -%}
    {{ return(adapter.dispatch('raise_in_sql_expression')(expression)) }}
{%- endmacro %}

{% macro default__raise_in_sql_expression(expression) -%}
    error({{ expression }})
{%- endmacro %}

{% macro spark__raise_in_sql_expression(expression) -%}
    raise_error({{ expression }})
{%- endmacro %}

{% macro postgres__raise_in_sql_expression(expression) -%}
    {{ helpers_schema() }}.raise_error({{ expression }})
{%- endmacro %}
