{#- Small SQL helpers that differ between engines (adapter.dispatch):
    quoting, patterns, errors raised from SQL, dates and aggregates. -#}

{#- A list of strings as a SQL value list, quotes escaped. -#}
{% macro sql_values(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A row's identity as text: the md5 of its values (text expressions) as a
    JSON array, unambiguous whatever the values hold. Each engine writes the
    array its own way, so the ids are stable within a warehouse, not equal
    across engines (no mart holds them). -#}
{% macro row_fingerprint(expressions) -%}
    {{ return(adapter.dispatch('row_fingerprint')(expressions)) }}
{%- endmacro %}

{% macro default__row_fingerprint(expressions) -%}
    md5(cast(to_json([{{ expressions | join(', ') }}]) as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro postgres__row_fingerprint(expressions) -%}
    md5(cast(json_build_array({{ expressions | join(', ') }}) as text))
{%- endmacro %}

{% macro spark__row_fingerprint(expressions) -%}
    md5(to_json(array({{ expressions | join(', ') }})))
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

{#- A rule pattern (a regular expression; null = any) against a value
    compared lower-cased, absent = empty text (seed channel_rules). -#}
{% macro matches_rule(value, pattern) -%}
    ({{ pattern }} is null or {{ matches_pattern("lower(coalesce(" ~ value ~ ", ''))", pattern) }})
{%- endmacro %}

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

{#- The tail of a check that lists its problems (a relation with a text
    column problem): each row fails the query with '<label>: <problem>'. The
    rows are counted first, as no engine moves a filter below a window over
    all rows: a raising filter pushed into the joins that found the problems
    could raise on rows those joins drop. -#}
{% macro raise_problems(problems, label) -%}
select problem
from (
    select
        problem,
        count(*) over () as problems_found
    from {{ problems }}
) as counted
where {{ raise_in_sql_expression(sql_values([label ~ ': ']) ~ ' || problem') }} is null
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

{#- Within a group by: the value of `column` on the row that comes last (or
    first) by `order_by` (comma-separated columns, or one expression); rows
    where `column` or the order is null are skipped. -#}
{% macro last_value_by(column, order_by, first=false) -%}
    {{ return(adapter.dispatch('last_value_by')(column, order_by, first)) }}
{%- endmacro %}

{% macro default__last_value_by(column, order_by, first) -%}
    {{ 'arg_min' if first else 'arg_max' }}({{ column }}, ({{ order_by }}))
{%- endmacro %}

{#- max_by skips a row whose order is null: a row with a null value or a
    null order column gets a null order -#}
{% macro spark__last_value_by(column, order_by, first) -%}
    {%- set conditions = [column ~ ' is not null'] -%}
    {#- column names, or one expression (whose commas are its own) -#}
    {%- for order_column in (order_by.split(',') if '(' not in order_by else [order_by]) -%}
        {%- do conditions.append(order_column | trim ~ ' is not null') -%}
    {%- endfor -%}
    {{ 'min_by' if first else 'max_by' }}({{ column }}, case when {{ conditions | join(' and ') }} then struct({{ order_by }}) end)
{%- endmacro %}

{% macro postgres__last_value_by(column, order_by, first) -%}
    (array_agg({{ column }} order by ({{ order_by }}) {{ 'asc' if first else 'desc' }})
        filter (where {{ column }} is not null and ({{ order_by }}) is not null))[1]
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

{#- A funnel's conversion at each step (docs/rules/operating-metrics.md, docs/rules/journey-and-lifecycle.md): the step's count over
    the previous step's (step conversion) or over the first step's (overall),
    within each funnel; null when the denominator is 0 or there is none. -#}
{% macro funnel_conversion(count_column, partition_by, order_by, overall=false) -%}
    cast({{ count_column }} as {{ type_double() }}) / nullif(
        {{ 'first_value' if overall else 'lag' }}({{ count_column }})
            over (partition by {{ partition_by }} order by {{ order_by }}),
        0
    )
{%- endmacro %}
