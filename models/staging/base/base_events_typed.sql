with

deduplicated as (
    select * from {{ ref('base_events_deduplicated') }}
),

parent_users as (
    {{ parent_keys('base_users_typed', 'user_id') }}
),

typed as (
    select
        {{ clean_id('event_id') }} as event_id,
        {{ parse_timestamp('event_time') }} as event_time,
        {{ clean_id('anonymous_id') }} as anonymous_id,
        {{ clean_id('user_id') }} as user_id,
        {{ clean_code('event_type') }} as event_type,
        -- free text is scrubbed of email addresses and phone numbers (SPEC §6)
        {{ scrub_personal_data(clean_text('page_url')) }} as page_url,
        {{ scrub_personal_data(clean_text('referrer')) }} as referrer,
        lower({{ scrub_personal_data(clean_text('utm_source')) }}) as utm_source,
        lower({{ scrub_personal_data(clean_text('utm_medium')) }}) as utm_medium,
        {{ scrub_personal_data(clean_text('utm_campaign')) }} as utm_campaign,
        {{ clean_code('device_type') }} as device_type,
        {{ clean_code('platform') }} as platform,
        {{ scrub_personal_data(clean_text('search_term')) }} as search_term,
        {{ clean_id('product_id') }} as product_id,
        {{ clean_text('category') }} as category,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_events') }}
    from deduplicated
),

outliers as (
    {{ first_outlier_day('deduplicated', parse_timestamp('event_time')) }}
),

duplicate_keys as (
    select event_id
    from typed
    where event_id is not null
    group by event_id
    having count(*) > 1
),

checked as (
    select
        typed.*,
        case
            when typed.event_id is null or typed.anonymous_id is null then 'null_key'
            when duplicate_keys.event_id is not null then 'duplicate_key'
            when typed.event_type is null then 'null_event_type'
            {{ timestamp_reject_reason('typed.raw_event_time', 'typed.event_time', 'outliers.first_outlier_day') }}
            {{ foreign_key_reject_reason('typed.user_id', 'parent_users', optional=true) }}
        end as reject_reason
    from typed
    cross join outliers
    left join parent_users on typed.user_id = parent_users.parent_key
    left join duplicate_keys on typed.event_id = duplicate_keys.event_id
)

select
    raw_row_id,
    event_id,
    event_time,
    anonymous_id,
    user_id,
    event_type,
    event_type in ({{ sql_values(var('known_event_types')) }}) as is_known_event_type,
    page_url,
    referrer,
    utm_source,
    utm_medium,
    utm_campaign,
    device_type,
    platform,
    search_term,
    product_id,
    category,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_events') }} end as raw_record
from checked
