{#- Registration-cohort retention (docs/rules/journey-and-lifecycle.md) at one grain, week or month:
    cohort = the period of registration; offset k = periods from the cohort
    period to the activity period (k = 0 is the registration period, so its
    rate is 1); a user is retained at k with an activity date (registration,
    event, valid order, feedback) in that period; rate = retained users /
    cohort size. One row per cohort and k up to the period of as_of_date,
    zeros included. Used by cohort_retention and cohort_retention_weekly. -#}
{% macro cohort_retention(grain) -%}
with

cohorts as (
    select
        user_id,
        cast({{ dbt.date_trunc(grain, 'registration_date') }} as date) as cohort_start
    from {{ ref('int_users_as_of') }}
),

activity_periods as (
    select distinct
        user_id,
        cast({{ dbt.date_trunc(grain, 'activity_date') }} as date) as activity_start
    from {{ ref('int_user_activity_dates') }}
),

retained as (
    select
        cohorts.cohort_start,
        activity_periods.activity_start,
        count(*) as retained
    from cohorts
    inner join activity_periods on cohorts.user_id = activity_periods.user_id
    where activity_periods.activity_start >= cohorts.cohort_start
    group by cohorts.cohort_start, activity_periods.activity_start
),

{{ retention_by_offset(grain, 'retained_users') }}
{%- endmacro %}

{#- The tail of a retention mart: every cohort of CTE cohorts (one row per
    member with its cohort_start), sized, crossed with each period from its
    own to the period of as_of_date, with the members of CTE retained
    (cohort_start, activity_start, retained) in that period, zeros included.
    Continues a with-list; extra_columns are SQL expressions written after
    the keys. -#}
{% macro retention_by_offset(grain, retained_column, extra_columns=[]) -%}
cohort_sizes as (
    select
        cohort_start,
        count(*) as cohort_size
    from cohorts
    group by cohort_start
),

periods as (
    select distinct {{ {'week': 'week_start', 'month': 'month_start'}[grain] }} as period_start
    from {{ ref('int_calendar') }}
),

grid as (
    select
        cohort_sizes.cohort_start,
        cohort_sizes.cohort_size,
        periods.period_start as activity_start,
        {{ periods_between(grain, 'cohort_sizes.cohort_start', 'periods.period_start') }} as period_offset
    from cohort_sizes
    inner join periods on cohort_sizes.cohort_start <= periods.period_start
)

select
    cast(grid.cohort_start as {{ dbt.type_string() }}) || '|' || cast(grid.period_offset as {{ dbt.type_string() }})
        as cohort_offset_id,
    grid.cohort_start as cohort_{{ grain }},
    grid.period_offset as {{ grain }}_offset,
    grid.activity_start as activity_{{ grain }},
    {%- for column in extra_columns %}
    {{ column }},
    {%- endfor %}
    cast(grid.cohort_size as bigint) as cohort_size,
    cast(coalesce(retained.retained, 0) as bigint) as {{ retained_column }},
    cast(coalesce(retained.retained, 0) as {{ type_double() }}) / grid.cohort_size as retention_rate
from grid
left join retained
    on
        grid.cohort_start = retained.cohort_start
        and grid.activity_start = retained.activity_start
{%- endmacro %}

{#- Whole weeks or months from one period start to a later one, as integer
    (both are starts of their period, so weeks are an exact number of days). -#}
{% macro periods_between(grain, start_date, end_date) -%}
    {%- if grain == 'week' -%}
        cast({{ dbt.datediff(start_date, end_date, 'day') }} / 7 as integer)
    {%- else -%}
        cast({{ dbt.datediff(start_date, end_date, grain) }} as integer)
    {%- endif -%}
{%- endmacro %}

{#- The day a person stops counting in a trailing window of window_days that
    an activity day opened: the next activity day (which opens its own span)
    or the window's end, whichever comes first. -#}
{% macro span_end(activity_date, next_activity_date, window_days) -%}
    case
        when {{ next_activity_date }} < cast({{ dbt.dateadd('day', window_days, activity_date) }} as date)
            then {{ next_activity_date }}
        else cast({{ dbt.dateadd('day', window_days, activity_date) }} as date)
    end
{%- endmacro %}
