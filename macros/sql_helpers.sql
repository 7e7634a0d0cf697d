{#- Small SQL helpers that differ between engines (adapter.dispatch):
    quoting, patterns, errors raised from SQL, dates and aggregates. -#}

{#- A list of strings as a SQL value list, quotes escaped. -#}
{% macro sql_values(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A rule pattern (a regular expression; null = any) against a value
    compared lower-cased, absent = empty text (seed channel_rules). -#}
{% macro matches_rule(value, pattern) -%}
    ({{ pattern }} is null or {{ matches_pattern("lower(coalesce(" ~ value ~ ", ''))", pattern) }})
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
