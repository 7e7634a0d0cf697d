-- Tags whose rule is birthday_month (docs/audiences.md, a care tag): the user's birth
-- month is the month of as_of_date; the evidence is the day of the birthday,
-- so care can be sent on the day.
with

rules as (
    {{ tag_rules('birthday_month') }}
)

select
    rules.tag_id,
    users.user_id,
    {{ tag_evidence('extract(day from users.birth_date)') }} as evidence
from {{ ref('int_users_as_of') }} as users
inner join rules
    on extract(month from users.birth_date) = extract(month from rules.window_end)
