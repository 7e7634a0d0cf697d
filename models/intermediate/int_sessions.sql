-- One row per session (docs/rules/identity-and-sessions.md), from int_device_sessions with the person
-- and the channel group. The session belongs to the date and hour (in var
-- reporting_timezone) of its first event, and to the user of its first event
-- that carries a user_id, else to the user its device maps to, else to the
-- device: the same person its first event has in int_events_sessionized.
-- The channel group is the first rule of seed channel_rules (by rule_order)
-- whose every pattern matches; Other when none does.
with

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

sessions as (
    select
        device_sessions.*,
        coalesce(device_sessions.first_user_id, identity_map.user_id, device_sessions.anonymous_id) as person_id,
        coalesce(device_sessions.first_user_id, identity_map.user_id) as user_id
    from {{ ref('int_device_sessions') }} as device_sessions
    left join {{ ref('int_identity_map') }} as identity_map
        on device_sessions.anonymous_id = identity_map.anonymous_id
),

timed_sessions as (
    select
        *,
        cast({{ dbt.datediff('started_at', 'ended_at', 'second') }} as bigint) as duration_seconds  -- noqa: LT05
    from sessions
),

traffic_sources as (
    select distinct
        utm_source,
        utm_medium,
        referrer
    from sessions
),

matching_rules as (
    select
        traffic_sources.utm_source,
        traffic_sources.utm_medium,
        traffic_sources.referrer,
        channel_rules.channel_group,
        row_number() over (
            partition by traffic_sources.utm_source, traffic_sources.utm_medium, traffic_sources.referrer
            order by channel_rules.rule_order

        ) as match_rank
    from traffic_sources
    inner join channel_rules
        on
            {{ matches_rule('traffic_sources.utm_source', 'channel_rules.source_pattern') }}
            and {{ matches_rule('traffic_sources.utm_medium', 'channel_rules.medium_pattern') }}
            and {{ matches_rule('traffic_sources.referrer', 'channel_rules.referrer_pattern') }}
),

channels as (
    select
        utm_source,
        utm_medium,
        referrer,
        channel_group
    from matching_rules
    where match_rank = 1
)

select
    -- keys
    timed_sessions.session_id,
    timed_sessions.anonymous_id,
    timed_sessions.person_id,
    timed_sessions.user_id,
    -- time
    timed_sessions.started_at,
    timed_sessions.ended_at,
    {{ reporting_date('timed_sessions.started_at') }} as session_date,
    {{ reporting_hour('timed_sessions.started_at') }} as session_hour,
    timed_sessions.duration_seconds,
    -- behaviour
    timed_sessions.event_count,
    timed_sessions.page_views,
    timed_sessions.event_count = 1 as is_bounce,
    timed_sessions.has_add_to_cart,
    timed_sessions.has_checkout,
    timed_sessions.has_purchase as converted,
    -- traffic
    timed_sessions.landing_page,
    timed_sessions.utm_source,
    timed_sessions.utm_medium,
    timed_sessions.utm_campaign,
    timed_sessions.referrer,
    coalesce(channels.channel_group, 'Other') as channel_group,
    -- device
    timed_sessions.device_type,
    timed_sessions.platform
from timed_sessions
left join channels
    on
        timed_sessions.utm_source is not distinct from channels.utm_source
        and timed_sessions.utm_medium is not distinct from channels.utm_medium
        and timed_sessions.referrer is not distinct from channels.referrer
