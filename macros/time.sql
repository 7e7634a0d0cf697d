{#- Time rules (docs/time-identity-money.md#time): how timestamps are read, which are plausible, and
    which day, hour and as-of date a timestamp is reported in. -#}

{#- ISO-8601 text (or a native timestamp cast to text) to a UTC timestamp.
    A zone written in the value wins: an offset (+08:00, +0800, Z) or a zone
    name (Asia/Shanghai, UTC). Naive text is read in var source_timezone.
    Unparseable text, or an unknown zone name, gives null, and so do words
    some engines read as times ('yesterday', 'epoch', 'infinity'): a
    timestamp starts with a digit, on every engine. -#}
{% macro parse_timestamp(column) -%}
    {%- set value = namespace(text="trim(" ~ column ~ ")") -%}
    {%- for abbreviation, zone in var('timezone_abbreviations').items() -%}
        {%- set value.text = replace_pattern(value.text, sql_values(['([0-9])\\s*' ~ abbreviation ~ '$']),
            sql_values(['\\1 ' ~ zone])) -%}
    {%- endfor -%}
    {%- set value = value.text -%}
    case
        when not left({{ value }}, 1) between '0' and '9' then null
        when {{ has_ambiguous_zone(column) }} then null
        when {{ matches_pattern(value, "'[0-9]:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$'") }}
            then {{ zoned_text_to_utc(value) }}
        {%- if var('source_timezone') == 'UTC' %}
        else {{ try_cast_text(value, 'timestamp') }}
        {%- else %}
        else {{ wall_clock_to_utc(try_cast_text(value, 'timestamp'), sql_values([var('source_timezone')])) }}
        {%- endif %}
    end
{%- endmacro %}

{#- True when a timestamp's text ends in a zone abbreviation that names more
    than one zone (var ambiguous_timezone_abbreviations) and var
    timezone_abbreviations does not say which it means here. -#}
{% macro has_ambiguous_zone(column) -%}
    {%- set mapped = var('timezone_abbreviations').keys() | map('upper') | list -%}
    {%- set ambiguous = var('ambiguous_timezone_abbreviations') | map('upper') | reject('in', mapped) | list -%}
    {%- if ambiguous -%}
    coalesce(upper({{ pattern_group('trim(' ~ column ~ ')', "'[0-9]\\s*([A-Za-z]{2,5})$'") }})
        in ({{ sql_values(ambiguous) }}), false)
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}

{#- A calendar date (birth_date): the YYYY-MM-DD the value starts with, never
    shifted by a zone; null when there is none or it is not a real date. -#}
{% macro parse_date(column) -%}
    {{ try_cast_text(pattern_group('trim(' ~ column ~ ')', "'^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})'"), 'date') }}
{%- endmacro %}

{#- A stored (UTC) timestamp as wall-clock time in var reporting_timezone. -#}
{% macro reporting_time(timestamp_utc) -%}
    {%- if var('reporting_timezone') == 'UTC' -%}
        {{ timestamp_utc }}
    {%- else -%}
        {{ utc_to_wall_clock(timestamp_utc, sql_values([var('reporting_timezone')])) }}
    {%- endif -%}
{%- endmacro %}

{#- The day (in var reporting_timezone) a stored timestamp is reported in. -#}
{% macro reporting_date(timestamp_utc) -%}
    cast({{ reporting_time(timestamp_utc) }} as date)
{%- endmacro %}

{#- The hour of day (0–23, in var reporting_timezone) of a stored timestamp. -#}
{% macro reporting_hour(timestamp_utc) -%}
    cast(extract(hour from {{ reporting_time(timestamp_utc) }}) as integer)
{%- endmacro %}

{#- dbt's run start (UTC) as a timestamp literal: the only use of the clock,
    to reject future timestamps (docs/time-identity-money.md#time). -#}
{% macro run_started_at_utc() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}

{#- The earliest plausible timestamp (var min_valid_date). -#}
{% macro min_valid_timestamp() -%}
    cast({{ sql_values([var('min_valid_date') | string]) }} as timestamp)
{%- endmacro %}

{#- The outlier days of a relation (docs/time-identity-money.md#time), as a
    one-row query over `relation` (a CTE name) with its main timestamp given
    as an expression. Trailing: after a gap of more than var
    as_of_max_gap_days days between consecutive days with data (later day −
    earlier day), the rows from the later day on are outliers when they hold
    less than var outlier_max_share of the relation's plausible rows; the
    earliest such day wins (first_outlier_day). Leading, the mirror image:
    before such a gap, the rows up to the earlier day are outliers when they
    hold less than that share; the latest such day wins
    (last_leading_outlier_day). Each is null when there is none. Only the
    timestamp is read, so the scan stays narrow. -#}
{% macro outlier_days(relation, timestamp_expression) -%}
    select
        min(case
            when
                gap_before_days > {{ var('as_of_max_gap_days') }}
                and rows_from_day < {{ var('outlier_max_share') }} * plausible_rows
                then day
        end) as first_outlier_day,
        max(case
            when
                gap_after_days > {{ var('as_of_max_gap_days') }}
                and rows_through_day < {{ var('outlier_max_share') }} * plausible_rows
                then day
        end) as last_leading_outlier_day
    from (
        select
            day,
            {{ days_between('lag(day) over (order by day)', 'day') }} as gap_before_days,
            {{ days_between('day', 'lead(day) over (order by day)') }} as gap_after_days,
            sum(day_rows) over (order by day desc rows between unbounded preceding and current row) as rows_from_day,
            sum(day_rows) over (order by day rows between unbounded preceding and current row) as rows_through_day,
            sum(day_rows) over () as plausible_rows
        from (
            select
                cast(parsed_at as date) as day,
                count(*) as day_rows
            from (select {{ timestamp_expression }} as parsed_at from {{ relation }}) as parsed
            where
                parsed_at >= {{ min_valid_timestamp() }}
                and parsed_at <= {{ run_started_at_utc() }}
            group by cast(parsed_at as date)
        ) as days_with_data
    ) as gaps
{%- endmacro %}

{#- The reject reason of a record's main timestamp, or null when it is
    plausible (docs/time-identity-money.md#time): missing, unparseable, future, before min_valid_date
    or among the leading or trailing outliers (outlier_days, joined as `outliers`). -#}
{% macro timestamp_reject_reason(raw_column, timestamp_column, outliers) -%}
    when {{ clean_text(raw_column) }} is null then 'null_timestamp'
    when {{ has_ambiguous_zone(raw_column) }} then 'ambiguous_timezone'
    when {{ timestamp_column }} is null then 'unparseable_timestamp'
    when {{ timestamp_column }} > {{ run_started_at_utc() }} then 'future_timestamp'
    when {{ timestamp_column }} < {{ min_valid_timestamp() }} then 'outlier_timestamp'
    when cast({{ timestamp_column }} as date) >= {{ outliers }}.first_outlier_day then 'outlier_timestamp'
    when cast({{ timestamp_column }} as date) <= {{ outliers }}.last_leading_outlier_day then 'outlier_timestamp'
{%- endmacro %}

{#- The as-of date of docs/time-identity-money.md#time as a scalar expression, for every later model. -#}
{% macro as_of_date() -%}
    (select as_of_date from {{ ref('int_as_of_date') }})
{%- endmacro %}

