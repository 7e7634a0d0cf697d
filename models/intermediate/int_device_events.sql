{%- set session_vars = sessionization_vars() -%}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_strategy(),
    partition_by=storage_partitions(),
    unique_key='anonymous_id',
    pre_hook="{{ delete_changed_devices(" ~ session_vars | tojson ~ ") }}"
) }}
-- depends_on: {{ ref('base_events_typed') }}
-- Every event up to as_of_date with its session (docs/rules/identity-and-sessions.md), before identity
-- stitching (int_events_sessionized adds the person). Per anonymous_id, a new
-- session starts when more than var session_timeout_minutes pass without an
-- event. Events at the same time are ordered by event_id, so sessions are the
-- same on every build.
with

{% if is_incremental() -%}
-- A device's sessions depend on all its events, so an incremental run
-- sessionizes again, whole, every device with an event that staging wrote
-- since the last run: late events, sessions straddling the last run's end
-- and renumbered sessions come out as a full build would make them.
changed_devices as (
    {{ changed_devices(session_vars) }}
),

{% endif -%}

events as (
    select events.*
    from {{ ref('int_events_as_of') }} as events
    {%- if is_incremental() %}
    where exists (select 1 from changed_devices where changed_devices.anonymous_id = events.anonymous_id)
    {%- endif %}
),

-- whole events are sorted, so the table is written in device order, which
-- the models and tests that read it profit from (docs/performance.md#why-the-models-are-written-as-they-are)
with_gaps as (
    select
        events.*,
        lag(events.event_time) over device_timeline as previous_event_time,
        row_number() over device_timeline as device_event_number
    from events
    window device_timeline as (partition by events.anonymous_id order by events.event_time, events.event_id)
),

with_session_starts as (
    select
        *,
        case
            when previous_event_time is null then 1
            when {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_event_time') }} < event_time
                then 1
            else 0
        end as is_session_start
    from with_gaps
),

numbered as (
    select
        *,
        cast(sum(is_session_start) over device_timeline as bigint) as session_number,
        max(case when is_session_start = 1 then device_event_number end) over device_timeline
            as session_start_number
    from with_session_starts
    window device_timeline as (
        partition by anonymous_id
        order by event_time, event_id
        rows between unbounded preceding and current row
    )
),

rows_written as (
    select
        -- keys
        event_id,
        anonymous_id || ':' || cast(session_number as {{ dbt.type_string() }}) as session_id,
        anonymous_id,
        user_id,
        -- timestamps
        event_time,
        event_date,
        -- session position
        session_number,
        cast(device_event_number - session_start_number + 1 as bigint) as event_sequence,
        -- what happened
        event_type,
        is_known_event_type,
        page_url,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        device_type,
        platform,
        search_term,
        product_id,
        category,
        -- incremental bookkeeping
        {{ load_batch() }} as load_batch,
        {{ source_batch(ref('base_events_typed')) }} as source_batch,
        {{ settings_fingerprint(session_vars) }} as settings_fingerprint
    from numbered
)

{{ rows_to_store('rows_written', 'anonymous_id', 'changed_devices') }}
