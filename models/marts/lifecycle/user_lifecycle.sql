-- Lifecycle status of every user registered by as_of_date (docs/rules/journey-and-lifecycle.md); the
-- rules are in int_user_lifecycle_history.
select
    lifecycle.user_id,
    lifecycle.lifecycle_status,
    lifecycle.registration_date,
    lifecycle.last_activity_date,
    cast(lifecycle.days_since_last_activity as integer) as days_since_last_activity,
    lifecycle.first_recent_date,
    lifecycle.activity_before_recent_date,
    as_of.as_of_date
from {{ ref('int_user_lifecycle') }} as lifecycle
cross join {{ ref('int_as_of_date') }} as as_of
