{#- the path of a session depends on path_steps too -#}
{%- set session_vars = sessionization_vars() + ['path_steps'] -%}
{%- do require_stored_columns(['path']) -%}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_strategy(),
    partition_by=storage_partitions(),
    unique_key='anonymous_id',
    pre_hook="{{ delete_changed_devices(" ~ session_vars | tojson ~ ") }}"
) }}
-- depends_on: {{ ref('base_events_typed') }}
-- One row per session of a device (docs/rules/identity-and-sessions.md), before identity stitching and
-- channel rules (int_sessions adds both). Its traffic (source, medium,
-- campaign, referrer) comes from its first event that carries any of them,
-- all from that one event; its landing page is its first page_url; its path
-- the event types of its first path_steps events. An incremental run
-- rebuilds the sessions of every device int_device_events rebuilt.
with

{% if is_incremental() -%}
changed_devices as (
    {{ changed_devices(session_vars) }}
),

{% endif -%}

events as (
    select events.*
    from {{ ref('int_device_events') }} as events
    {%- if is_incremental() %}
    where exists (select 1 from changed_devices where changed_devices.anonymous_id = events.anonymous_id)
    {%- endif %}
),

events_with_traffic as (
    select
        *,
        case
            when coalesce(utm_source, utm_medium, utm_campaign, referrer) is not null then event_sequence
        end as traffic_sequence
    from events
),

rows_written as (
    select
        session_id,
        min(anonymous_id) as anonymous_id,
        -- last_value_by skips null values: the first non-null one in the session.
        {{ last_value_by('user_id', 'event_sequence', first=true) }} as first_user_id,
        min(event_time) as started_at,
        max(event_time) as ended_at,
        count(*) as event_count,
        cast(sum(case when event_type = 'page_view' then 1 else 0 end) as bigint) as page_views,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) = 1 as has_add_to_cart,
        max(case when event_type = 'checkout' then 1 else 0 end) = 1 as has_checkout,
        max(case when event_type = 'purchase' then 1 else 0 end) = 1 as has_purchase,
        {{ last_value_by('page_url', 'event_sequence', first=true) }} as landing_page,
        {{ last_value_by('device_type', 'event_sequence', first=true) }} as device_type,
        {{ last_value_by('platform', 'event_sequence', first=true) }} as platform,
        -- the first path_steps event types in order (listagg skips the later events' nulls)
        {{ dbt.listagg(
            'case when event_sequence <= ' ~ var('path_steps') ~ ' then event_type end',
            "' > '",
            'order by event_sequence'
        ) }} as path,  -- noqa: RF04
        cast(sum(case when event_sequence <= {{ var('path_steps') }} then 1 else 0 end) as integer) as path_steps,
        -- Traffic fields all come from the first event with any of them:
        -- coalesce to '' so that last_value_by does not skip that event's nulls.
        nullif({{ last_value_by("coalesce(utm_source, '')", 'traffic_sequence', first=true) }}, '') as utm_source,
        nullif({{ last_value_by("coalesce(utm_medium, '')", 'traffic_sequence', first=true) }}, '') as utm_medium,
        nullif({{ last_value_by("coalesce(utm_campaign, '')", 'traffic_sequence', first=true) }}, '') as utm_campaign,
        nullif({{ last_value_by("coalesce(referrer, '')", 'traffic_sequence', first=true) }}, '') as referrer,
        -- incremental bookkeeping
        {{ load_batch() }} as load_batch,
        {{ source_batch(ref('base_events_typed')) }} as source_batch,
        {{ settings_fingerprint(session_vars) }} as settings_fingerprint
    from events_with_traffic
    group by session_id
)

{{ rows_to_store('rows_written', 'anonymous_id', 'changed_devices') }}
