-- The as-of dates tag history has advanced to (docs/rules/tags.md#history), one row
-- each, written after the snapshot by the first build to reach the date: a
-- rebuild of the same date adds none (the same input gives the same marts), nor
-- does a what-if build at an earlier as_of_date or a build whose checks failed.
-- Never rebuilt by --full-refresh: it is history, not derived from the data.
-- depends_on: {{ ref('user_tags_snapshot') }}
with

gate as (
    select
        as_of_date,
        last_recorded_as_of_date
    from {{ ref('int_history_gate') }}
    where last_recorded_as_of_date is null or as_of_date > last_recorded_as_of_date
)

select
    {%- if is_incremental() %}
    (select coalesce(max(history_build), 0) + 1 from {{ this }}) as history_build,
    {%- else %}
    cast(1 as bigint) as history_build,
    {%- endif %}
    as_of_date,
    last_recorded_as_of_date as previous_as_of_date
from gate
