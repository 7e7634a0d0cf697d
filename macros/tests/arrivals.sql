{#- Alarms on what arrived (docs/raw-contract.md#arrivals), for a raw relation's
    typed base model: an export that came empty, a latest day far below the
    days before it, and new rows mostly rejected though the relation as a
    whole is not. Each test returns a row per warning and fails the build at
    once, with a message naming the relation and the counts, on an error. -#}

{#- A relation with no rows: a warning; an error when the last build read
    rows from it (its row in the stored data_quality_staging, which this build
    has not replaced yet: dbt runs a model's tests before its children). -#}
{% test relation_not_emptied(model, relation_name) %}
{%- set last_build = recorded_history('data_quality_staging') %}
with

current_rows as (
    select count(*) as distinct_rows from {{ model }}
),

last_build_rows as (
    {%- if last_build is not none %}
    select max(raw_rows) as raw_rows
    from {{ last_build }}
    where relation = {{ sql_values([relation_name]) }}
    {%- else %}
    select cast(null as bigint) as raw_rows
    {%- endif %}
)

select
    {{ sql_values([relation_name]) }} as relation,
    last_build_rows.raw_rows as rows_in_last_build
from current_rows
cross join last_build_rows
where
    current_rows.distinct_rows = 0
    -- in the filter, so that no engine prunes it away; whole conditions in
    -- the case, as engines may test it before the line above
    and case
        when current_rows.distinct_rows = 0 and last_build_rows.raw_rows > 0
            then {{ raise_in_sql_expression(
                "'" ~ relation_name ~ ": no rows, against ' || cast(last_build_rows.raw_rows as "
                ~ dbt.type_string() ~ ") || ' in the last build: an empty export? Nothing is built from it'"
            ) }} is null
        else true
    end
{% endtest %}

{#- The latest day (as_of_date) against the days before it, and the rows the
    latest incremental run read for the first time (new_rows_from):
    - volume: staged rows on as_of_date below var latest_day_warn_share (a
      warning) or latest_day_error_share (an error) of the mean of the
      latest_day_baseline_days days before; judged when the relation has rows
      that far back and that mean is at least latest_day_min_rows;
    - rejects on the latest day: the reject share of the rows dated
      as_of_date, against reject_share_warn and reject_share_error, when there
      are at least latest_day_min_rows of them;
    - rejects among the new rows: the reject share of the rows the latest
      incremental run read for the first time (rows of new_rows_from, which
      has raw_row_id and load_batch, written after the batch the run before
      had read up to: the model's source_batch), against the same vars; the
      stored rows a run re-judges (rows rejected as future, say) are not
      new. -#}
{% test latest_arrivals(model, relation_name, timestamp_column, new_rows_from=none) %}
{%- set baseline_days = var('latest_day_baseline_days') %}
{%- set min_rows = var('latest_day_min_rows') %}
{%- set text = dbt.type_string() %}
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

dated_rows as (
    select
        {{ reporting_date(timestamp_column) }} as arrival_date,
        reject_reason
    from {{ model }}
),

days as (
    select
        as_of.as_of_date,
        min(case when dated_rows.reject_reason is null then dated_rows.arrival_date end) as first_date,
        sum(case when dated_rows.arrival_date = as_of.as_of_date then 1 else 0 end) as latest_rows,
        sum(
            case when dated_rows.arrival_date = as_of.as_of_date and dated_rows.reject_reason is null then 1 else 0 end
        ) as latest_staged,
        sum(
            case
                when
                    dated_rows.arrival_date = as_of.as_of_date and dated_rows.reject_reason is not null
                    then 1
                else 0
            end
        ) as latest_rejected,
        sum(
            case
                when
                    dated_rows.reject_reason is null
                    and dated_rows.arrival_date < as_of.as_of_date
                    and dated_rows.arrival_date
                    >= cast({{ dbt.dateadd('day', -1 * baseline_days, 'as_of.as_of_date') }} as date)
                    then 1
                else 0
            end
        ) as baseline_staged
    from dated_rows
    cross join as_of
    group by as_of.as_of_date
),

{%- if new_rows_from %}

-- the rows this run read for the first time: rows of new_rows_from written
-- after the batch of it the run before had read up to (source_batch), not the
-- stored rows a run re-judges (rows rejected as future, say); none when this
-- run read nothing new
latest_run as (
    select max(load_batch) as load_batch from {{ model }}
),

read_before as (
    select coalesce(max(typed.source_batch), 0) as source_batch
    from {{ model }} as typed
    where typed.load_batch < (select latest_run.load_batch from latest_run)
),

new_rows as (
    select
        count(*) as new_rows,
        sum(case when typed.reject_reason is not null then 1 else 0 end) as new_rejected
    from {{ model }} as typed
    where
        typed.load_batch = (select latest_run.load_batch from latest_run)
        and typed.raw_row_id in (
            select arrived.raw_row_id
            from {{ new_rows_from }} as arrived
            where arrived.load_batch > (select read_before.source_batch from read_before)
        )
),
{%- endif %}

checks as (
    select
        'volume of ' || cast(as_of_date as {{ text }}) || ': ' || cast(latest_staged as {{ text }})
        || ' rows, against ' || cast(baseline_staged as {{ text }}) || ' in the {{ baseline_days }} days before'
        || ' (vars latest_day_warn_share, latest_day_error_share)' as finding,
        first_date <= cast({{ dbt.dateadd('day', -1 * baseline_days, 'as_of_date') }} as date)
        and baseline_staged >= {{ min_rows * baseline_days }} as is_judged,
        latest_staged * {{ baseline_days }} < {{ var('latest_day_warn_share') }} * baseline_staged as is_warning,
        latest_staged * {{ baseline_days }} < {{ var('latest_day_error_share') }} * baseline_staged as is_error
    from days
    union all
    select
        'rejects on ' || cast(as_of_date as {{ text }}) || ': ' || cast(latest_rejected as {{ text }})
        || ' of ' || cast(latest_rows as {{ text }}) || ' rows (vars reject_share_warn, reject_share_error)' as finding,
        latest_rows >= {{ min_rows }} as is_judged,
        latest_rejected > {{ var('reject_share_warn') }} * latest_rows as is_warning,
        latest_rejected > {{ var('reject_share_error') }} * latest_rows as is_error
    from days
    {%- if new_rows_from %}
    union all
    select
        'rejects among the rows the latest run added: ' || cast(new_rejected as {{ text }})
        || ' of ' || cast(new_rows as {{ text }}) || ' (vars reject_share_warn, reject_share_error)' as finding,
        new_rows > 0 as is_judged,
        new_rejected > {{ var('reject_share_warn') }} * new_rows as is_warning,
        new_rejected > {{ var('reject_share_error') }} * new_rows as is_error
    from new_rows
    {%- endif %}
)

select
    {{ sql_values([relation_name]) }} as relation,
    finding
from checks
where
    is_judged and is_warning
    -- in the filter, so that no engine prunes it away; whole conditions in
    -- the case, as engines may test it before the line above
    and case
        when is_judged and is_error
            then {{ raise_in_sql_expression("'" ~ relation_name ~ ": ' || finding") }} is null
        else true
    end
{% endtest %}
