-- The builds that advanced tag history (docs/rules/tags.md#history), one row each,
-- written after the snapshot: a what-if build at an earlier as_of_date, or a
-- build whose checks failed, adds no row. Never rebuilt by --full-refresh: it
-- is history, not derived from the data.
-- depends_on: {{ ref('user_tags_snapshot') }}
with

gate as (
    select
        as_of_date,
        last_recorded_as_of_date
    from {{ ref('int_history_gate') }}
    where advances_history
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
