-- Tags whose rule is active_days (docs/rules/tags.md): days with any event in the
-- window at least the threshold; the evidence is the number of days.
with

rules as (
    {{ tag_rules('active_days') }}
),

user_days as (
    select
        person_days.person_id as user_id,
        person_days.activity_date
    from {{ ref('int_person_days') }} as person_days
    inner join {{ ref('int_users_as_of') }} as users on person_days.person_id = users.user_id
)

select
    rules.tag_id,
    user_days.user_id,
    {{ tag_evidence('count(*)') }} as evidence
from user_days
inner join rules on user_days.activity_date between rules.window_start and rules.window_end
group by rules.tag_id, user_days.user_id
having count(*) >= min(rules.threshold)
