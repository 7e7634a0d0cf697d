-- Whether this build may add to history (docs/rules/tags.md#history): only when
-- its as_of_date is on or after the latest one history has recorded. A build at
-- an earlier as_of_date is a what-if: it leaves the snapshot and
-- tag_history_builds untouched. Builds whose checks fail never get this far
-- (dbt build skips everything downstream of a failed test).
{%- set builds = recorded_history('tag_history_builds') %}
{%- set snapshot = recorded_history('user_tags_snapshot') %}
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

recorded_dates as (
    select cast(null as date) as as_of_date
    {%- if builds is not none %}
    union all
    select as_of_date from {{ builds }}
    {%- endif %}
    {%- if snapshot is not none %}
    -- a warehouse built before tag_history_builds existed: its snapshot's dates
    union all
    select as_of_date from {{ snapshot }}
    {%- endif %}
),

last_recorded as (
    select max(as_of_date) as as_of_date from recorded_dates
)

select
    as_of.as_of_date,
    last_recorded.as_of_date as last_recorded_as_of_date,
    coalesce(as_of.as_of_date >= last_recorded.as_of_date, true) as advances_history
from as_of
cross join last_recorded
