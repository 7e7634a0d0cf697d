-- Lifecycle status of every registered user on as_of_date (docs/rules/journey-and-lifecycle.md): the last
-- status date of int_user_lifecycle_history, where the rules are.
select
    history.user_id,
    history.registration_date,
    history.last_activity_date,
    history.days_since_last_activity,
    history.first_recent_date,
    history.activity_before_recent_date,
    history.lifecycle_status
from {{ ref('int_user_lifecycle_history') }} as history
inner join {{ ref('int_as_of_date') }} as as_of on history.status_date = as_of.as_of_date
