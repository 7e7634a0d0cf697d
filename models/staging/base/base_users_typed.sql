with

deduplicated as (
    select * from {{ ref('base_users_deduplicated') }}
),

typed as (
    select
        {{ clean_id('user_id') }} as user_id,
        {{ parse_timestamp('registered_at') }} as registered_at,
        {{ clean_code('channel') }} as channel,
        case
            when lower(trim(gender)) in ('m', 'male', '男') then 'male'
            when lower(trim(gender)) in ('f', 'female', '女') then 'female'
            when {{ clean_text('gender') }} is not null then 'unknown'
        end as gender,
        {{ parse_date('birth_date') }} as birth_date,
        {{ clean_text('city') }} as city,
        lower({{ clean_text('email') }}) as email,
        nullif({{ replace_pattern('phone', "'[^0-9+]'", "''") }}, '') as phone,
        {{ clean_id('inviter_user_id') }} as inviter_user_id,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_users') }}
    from deduplicated
),

outliers as (
    {{ outlier_days('deduplicated', parse_timestamp('registered_at')) }}
),

duplicate_keys as (
    select user_id
    from typed
    where user_id is not null
    group by user_id
    having count(*) > 1
),

checked as (
    select
        typed.*,
        case
            when typed.user_id is null then 'null_key'
            when duplicate_keys.user_id is not null then 'duplicate_key'
            {{ timestamp_reject_reason(
                'typed.raw_registered_at', 'typed.registered_at', 'outliers'
            ) }}
        end as reject_reason,
        case
            when {{ clean_text('typed.raw_birth_date') }} is not null and typed.birth_date is null then 'unparseable'
            when
                typed.birth_date < cast({{ sql_values([var('min_birth_date') | string]) }} as date)
                or typed.birth_date > cast({{ run_started_at_utc() }} as date)
                then 'out_of_range'
        end as birth_date_nulled,
        case when length(typed.city) > {{ max_text_length('city') }} then 'too_long' end as city_nulled,
        case
            when
                typed.email is not null
                and not {{ matches_pattern('typed.email', "'^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'") }}
                then 'invalid'
        end as email_nulled,
        case
            when length({{ replace_pattern('typed.phone', "'[^0-9]'", "''") }}) not between 7 and 15 then 'invalid'
        end as phone_nulled
    from typed
    cross join outliers
    left join duplicate_keys on typed.user_id = duplicate_keys.user_id
)

select
    raw_row_id,
    user_id,
    registered_at,
    channel,
    gender,
    -- an optional value that fails its check becomes null, never rejects its
    -- row (docs/raw-contract.md); *_nulled says why, for data_quality_nulled_values
    case when birth_date_nulled is null then birth_date end as birth_date,
    case when city_nulled is null then city end as city,
    case when email_nulled is null then email end as email,
    case when phone_nulled is null then phone end as phone,
    inviter_user_id,
    birth_date_nulled,
    city_nulled,
    email_nulled,
    phone_nulled,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_users') }} end as raw_record
from checked
