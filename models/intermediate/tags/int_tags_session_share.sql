-- Tags whose rule is session_share (SPEC §7): among at least min_sample
-- sessions in the window, the share whose match_column matches the seed's
-- pattern is at least the threshold; the evidence is the share. Night owl
-- (session_hour, in the reporting time zone) and mobile-first (device_type)
-- are of this shape.
with

rules as (
    {{ tag_rules('session_share') }}
),

user_sessions as (
    select
        sessions.session_id,
        sessions.person_id as user_id,
        sessions.session_date,
        sessions.session_hour,
        sessions.device_type,
        sessions.platform,
        sessions.channel_group
    from {{ ref('int_sessions') }} as sessions
    inner join {{ ref('int_users_as_of') }} as users on sessions.person_id = users.user_id
),

session_values as (
    {{ tag_values('session_share', 'user_sessions', 'session_id') }}
),

matching_values as (
    {{ tag_matching_values('session_values') }}
),

matching_sessions as (
    select
        matching_values.tag_id,
        session_values.session_id
    from session_values
    inner join matching_values
        on
            session_values.match_column = matching_values.match_column
            and session_values.match_value = matching_values.match_value
),

window_sessions as (
    select
        rules.tag_id,
        user_sessions.user_id,
        rules.threshold,
        rules.min_sample,
        case when matching_sessions.session_id is not null then 1.0 else 0.0 end as is_match
    from user_sessions
    inner join rules on user_sessions.session_date between rules.window_start and rules.window_end
    left join matching_sessions
        on
            rules.tag_id = matching_sessions.tag_id
            and user_sessions.session_id = matching_sessions.session_id
)

select
    tag_id,
    user_id,
    {{ tag_evidence('avg(is_match)', share=true) }} as evidence
from window_sessions
group by tag_id, user_id
having count(*) >= min(min_sample) and avg(is_match) >= min(threshold)
