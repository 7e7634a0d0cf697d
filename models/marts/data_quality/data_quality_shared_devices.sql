-- Devices (anonymous_id) seen with more than var max_users_per_device
-- distinct users up to as_of_date (docs/rules/identity-and-sessions.md): shared tablets or a tracking
-- bug. They stitch to nobody; each event keeps its own user_id.
select
    anonymous_id,
    cast(distinct_users as bigint) as distinct_users,
    cast(identified_events as bigint) as identified_events,
    first_identified_at,
    last_identified_at
from {{ ref('int_identity_map') }}
where is_shared
