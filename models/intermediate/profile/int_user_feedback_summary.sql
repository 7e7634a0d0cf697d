-- Per registered user with any feedback up to as_of_date: the feedback
-- measures of the profile (docs/rules/user-profile.md). nps_class is of the latest NPS answer:
-- promoter 9–10, passive 7–8, detractor 0–6.
with

feedback as (
    select
        feedback.user_id,
        feedback.submitted_at,
        feedback.rating,
        feedback.nps
    from {{ ref('int_feedback_as_of') }} as feedback
    inner join {{ ref('int_users_as_of') }} as users on feedback.user_id = users.user_id
),

feedback_summary as (
    select
        user_id,
        count(*) as feedback_count,
        avg(rating) as avg_rating,
        {{ last_value_by('nps', 'submitted_at') }} as latest_nps
    from feedback
    group by user_id
)

select
    user_id,
    cast(feedback_count as bigint) as feedback_count,
    cast(avg_rating as {{ type_double() }}) as avg_rating,
    case
        when latest_nps >= 9 then 'promoter'
        when latest_nps >= 7 then 'passive'
        when latest_nps >= 0 then 'detractor'
    end as nps_class
from feedback_summary
