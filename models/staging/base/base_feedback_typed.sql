with

deduplicated as (
    select * from {{ ref('base_feedback_deduplicated') }}
),

parent_users as (
    {{ parent_keys('base_users_typed', 'user_id') }}
),

typed as (
    select
        {{ clean_id('feedback_id') }} as feedback_id,
        {{ clean_id('user_id') }} as user_id,
        {{ parse_timestamp('submitted_at') }} as submitted_at,
        {{ parse_integer('rating') }} as rating,
        {{ parse_integer('nps') }} as nps,
        {{ clean_text('rating') }} is not null
        and coalesce({{ parse_integer('rating') }} not between 1 and 5, true) as is_rating_invalid,
        {{ clean_text('nps') }} is not null
        and coalesce({{ parse_integer('nps') }} not between 0 and 10, true) as is_nps_invalid,
        {{ clean_code('feedback_type') }} as feedback_type,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_feedback') }}
    from deduplicated
),

outliers as (
    {{ outlier_days('deduplicated', parse_timestamp('submitted_at')) }}
),

duplicate_keys as (
    select feedback_id
    from typed
    where feedback_id is not null
    group by feedback_id
    having count(*) > 1
),

checked as (
    select
        typed.*,
        case
            when typed.feedback_id is null or typed.user_id is null then 'null_key'
            when duplicate_keys.feedback_id is not null then 'duplicate_key'
            {{ timestamp_reject_reason('typed.raw_submitted_at', 'typed.submitted_at', 'outliers') }}
            when typed.is_rating_invalid then 'invalid_rating'
            when typed.is_nps_invalid then 'invalid_nps'
            {{ foreign_key_reject_reason('typed.user_id', 'parent_users') }}
        end as reject_reason
    from typed
    cross join outliers
    left join parent_users on typed.user_id = parent_users.parent_key
    left join duplicate_keys on typed.feedback_id = duplicate_keys.feedback_id
)

select
    raw_row_id,
    feedback_id,
    user_id,
    submitted_at,
    rating,
    nps,
    feedback_type,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_feedback') }} end as raw_record
from checked
