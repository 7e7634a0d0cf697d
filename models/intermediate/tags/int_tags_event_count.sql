-- Tags whose rule is event_count (docs/rules/tags.md): events whose type matches the
-- seed's pattern, in the window, at least the threshold; the evidence is the
-- number of events.
with

rules as (
    {{ tag_rules('event_count') }}
),

user_event_days as (
    select
        event_days.person_id as user_id,
        event_days.activity_date,
        event_days.event_type,
        event_days.events
    from {{ ref('int_person_event_days') }} as event_days
    inner join {{ ref('int_users_as_of') }} as users on event_days.person_id = users.user_id
),

event_types as (
    select distinct event_type
    from user_event_days
),

event_type_values as (
    {{ tag_values('event_count', 'event_types', 'event_type') }}
),

matching_values as (
    {{ tag_matching_values('event_type_values') }}
)

select
    rules.tag_id,
    user_event_days.user_id,
    {{ tag_evidence('sum(user_event_days.events)') }} as evidence
from user_event_days
inner join matching_values on user_event_days.event_type = matching_values.match_value
inner join rules
    on
        matching_values.tag_id = rules.tag_id
        and user_event_days.activity_date between rules.window_start and rules.window_end
group by rules.tag_id, user_event_days.user_id
having sum(user_event_days.events) >= min(rules.threshold)
