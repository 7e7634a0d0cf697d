-- One row per session (SPEC §4). The session belongs to the date and hour of
-- its first event. Its traffic (source, medium, campaign, referrer) comes
-- from its first event that carries any of them, all from that one event;
-- its landing page is its first page_url. The channel group is the first
-- rule of seed channel_rules (by rule_order) whose every pattern matches;
-- Other when none does.
with

events as (
    select * from {{ ref('int_events_sessionized') }}
),

channel_rules as (
    select * from {{ ref('channel_rules') }}
),

sessions as (
    select
        session_id,
        min(anonymous_id) as anonymous_id,
        min(person_id) as person_id,
        min(stitched_user_id) as user_id,
        min(event_time) as started_at,
        max(event_time) as ended_at,
        count(*) as event_count,
        sum(case when event_type = 'page_view' then 1 else 0 end) as page_views,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) = 1 as has_add_to_cart,
        max(case when event_type = 'checkout' then 1 else 0 end) = 1 as has_checkout,
        max(case when event_type = 'purchase' then 1 else 0 end) = 1 as has_purchase,
        -- arg_min skips null values: the first non-null one in the session.
        arg_min(page_url, event_sequence) as landing_page,
        arg_min(device_type, event_sequence) as device_type,
        arg_min(platform, event_sequence) as platform,
        arg_min(
            {'utm_source': utm_source, 'utm_medium': utm_medium, 'utm_campaign': utm_campaign, 'referrer': referrer},
            case when coalesce(utm_source, utm_medium, utm_campaign, referrer) is not null then event_sequence end
        ) as traffic
    from events
    group by session_id
),

traffic_sources as (
    select distinct
        traffic.utm_source as utm_source,
        traffic.utm_medium as utm_medium,
        traffic.referrer as referrer
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
            coalesce(regexp_matches(lower(coalesce(traffic_sources.utm_source, '')), channel_rules.source_pattern), true)
            and coalesce(regexp_matches(lower(coalesce(traffic_sources.utm_medium, '')), channel_rules.medium_pattern), true)
            and coalesce(regexp_matches(lower(coalesce(traffic_sources.referrer, '')), channel_rules.referrer_pattern), true)
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
    sessions.session_id,
    sessions.anonymous_id,
    sessions.person_id,
    sessions.user_id,
    -- time
    sessions.started_at,
    sessions.ended_at,
    cast(sessions.started_at as date) as session_date,
    extract(hour from sessions.started_at) as session_hour,
    {{ dbt.datediff('sessions.started_at', 'sessions.ended_at', 'second') }} as duration_seconds,
    -- behaviour
    sessions.event_count,
    sessions.page_views,
    sessions.event_count = 1 as is_bounce,
    sessions.has_add_to_cart,
    sessions.has_checkout,
    sessions.has_purchase as converted,
    -- traffic
    sessions.landing_page,
    sessions.traffic.utm_source as utm_source,
    sessions.traffic.utm_medium as utm_medium,
    sessions.traffic.utm_campaign as utm_campaign,
    sessions.traffic.referrer as referrer,
    coalesce(channels.channel_group, 'Other') as channel_group,
    -- device
    sessions.device_type,
    sessions.platform
from sessions
left join channels
    on
        sessions.traffic.utm_source is not distinct from channels.utm_source
        and sessions.traffic.utm_medium is not distinct from channels.utm_medium
        and sessions.traffic.referrer is not distinct from channels.referrer
