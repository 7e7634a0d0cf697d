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
        nullif(regexp_replace(phone, '[^0-9+]', '', 'g'), '') as phone,
        {{ clean_id('inviter_user_id') }} as inviter_user_id,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_users') }}
    from deduplicated
),

outliers as (
    {{ first_outlier_day('deduplicated', parse_timestamp('registered_at')) }}
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
                'typed.raw_registered_at', 'typed.registered_at', 'outliers.first_outlier_day'
            ) }}
        end as reject_reason
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
    -- an implausible birth date is dropped, never the user (SPEC §2)
    case
        when
            birth_date >= cast({{ sql_values([var('min_birth_date') | string]) }} as date)
            and birth_date <= cast({{ run_started_at_utc() }} as date)
            then birth_date
    end as birth_date,
    city,
    email,
    phone,
    inviter_user_id,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_users') }} end as raw_record
from checked
