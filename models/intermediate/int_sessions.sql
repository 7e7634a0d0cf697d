-- One row per session (SPEC §4). The session belongs to the date and hour
-- (in var reporting_timezone) of its first event, and to the user of its
-- first event that carries a user_id, else to its device's person. Its traffic (source, medium, campaign, referrer) comes
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

events_with_traffic as (
    select
        *,
        case
            when coalesce(utm_source, utm_medium, utm_campaign, referrer) is not null then event_sequence
        end as traffic_sequence
    from events
),

sessions as (
    select
        session_id,
        min(anonymous_id) as anonymous_id,
        coalesce(arg_min(user_id, event_sequence), arg_min(person_id, event_sequence)) as person_id,
        coalesce(arg_min(user_id, event_sequence), arg_min(stitched_user_id, event_sequence)) as user_id,
        min(event_time) as started_at,
        max(event_time) as ended_at,
        count(*) as event_count,
        cast(sum(case when event_type = 'page_view' then 1 else 0 end) as bigint) as page_views,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) = 1 as has_add_to_cart,
        max(case when event_type = 'checkout' then 1 else 0 end) = 1 as has_checkout,
        max(case when event_type = 'purchase' then 1 else 0 end) = 1 as has_purchase,
        -- arg_min skips null values: the first non-null one in the session.
        arg_min(page_url, event_sequence) as landing_page,
        arg_min(device_type, event_sequence) as device_type,
        arg_min(platform, event_sequence) as platform,
        -- Traffic fields all come from the first event with any of them:
        -- coalesce to '' so that arg_min does not skip that event's nulls.
        nullif(arg_min(coalesce(utm_source, ''), traffic_sequence), '') as utm_source,
        nullif(arg_min(coalesce(utm_medium, ''), traffic_sequence), '') as utm_medium,
        nullif(arg_min(coalesce(utm_campaign, ''), traffic_sequence), '') as utm_campaign,
        nullif(arg_min(coalesce(referrer, ''), traffic_sequence), '') as referrer
    from events_with_traffic
    group by session_id
),

timed_sessions as (
    select
        *,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }} as duration_seconds  -- noqa: LT05
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
