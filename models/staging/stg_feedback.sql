select
    feedback_id,
    user_id,
    submitted_at,
    rating,
    nps,
    feedback_type
from {{ ref('base_feedback_typed') }}
where reject_reason is null
