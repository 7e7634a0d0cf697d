{{ config(materialized='view') }}
-- The staged feedback on or before as_of_date (docs/time-identity-money.md#time), with
-- submitted_date, the day in var reporting_timezone.
with

feedback as (
    select
        feedback_id,
        user_id,
        submitted_at,
        {{ reporting_date('submitted_at') }} as submitted_date,
        rating,
        nps,
        feedback_type
    from {{ ref('stg_feedback') }}
)

select feedback.*
from feedback
inner join {{ ref('int_as_of_date') }} as as_of on feedback.submitted_date <= as_of.as_of_date
