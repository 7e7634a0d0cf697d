-- Tags whose rule is session_share (docs/rules/tags.md): among at least min_sample
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

{{ tag_share_of_matches('session_share', 'user_sessions', 'session_id', 'session_date') }}
