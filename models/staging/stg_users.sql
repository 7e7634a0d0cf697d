select
    user_id,
    registered_at,
    channel,
    gender,
    birth_date,
    city,
    email,
    phone,
    inviter_user_id
from {{ ref('base_users_typed') }}
where reject_reason is null
