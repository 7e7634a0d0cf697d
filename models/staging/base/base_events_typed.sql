{%- set staging_vars = ['source_timezone', 'placeholder_ids', 'known_event_types', 'min_valid_date',
    'as_of_max_gap_days', 'outlier_max_share', 'max_text_length'] -%}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_strategy(),
    partition_by=storage_partitions(),
    unique_key='raw_row_id',
    pre_hook="{{ assert_same_settings(" ~ staging_vars | tojson ~ ") }}"
) }}
{{ require_stored_columns(['last_leading_outlier_day', 'too_long_columns']) }}
with

{% if is_incremental() -%}
-- An incremental run types only the rows whose outcome can differ from the
-- stored one: rows base_events_deduplicated wrote since the last run (new to
-- raw, or with more exact copies), stored rows that share an event_id with
-- them, rows whose user changed state in raw_users, rows rejected as future
-- (the clock moved) and rows on either side of a moved outlier day.
-- Everything else is kept as stored.
new_rows as (
    select
        raw_row_id,
        {{ clean_id('event_id') }} as event_id,
        {{ parse_timestamp('event_time') }} as event_time
    from {{ ref('base_events_deduplicated') }}
    where {{ loaded_since_last_run() }}
),

-- stored rows are read where needed, a few columns at a time, never held
-- whole: at tens of millions of rows that would not fit the memory limit
event_times as (
    select stored.event_time
    from {{ this }} as stored
    where not exists (select 1 from new_rows where new_rows.raw_row_id = stored.raw_row_id)
    union all
    select event_time from new_rows
),

outliers as (
    {{ outlier_days('event_times', 'event_time') }}
),

{%- else %}

outliers as (
    {{ outlier_days(ref('base_events_deduplicated'), parse_timestamp('event_time')) }}
),

{%- endif %}

parent_users as (
    {{ parent_keys('base_users_typed', 'user_id') }}
),

{% if is_incremental() -%}
rows_to_type as (
    select raw_row_id from new_rows
    union
    select stored.raw_row_id
    from {{ this }} as stored
    where exists (select 1 from new_rows where new_rows.event_id = stored.event_id)
    union
    select stored.raw_row_id
    from {{ this }} as stored
    left join parent_users on stored.user_id = parent_users.parent_key
    where stored.user_state is distinct from {{ parent_state('stored.user_id', 'parent_users') }}
    union
    select stored.raw_row_id
    from {{ this }} as stored
    cross join outliers
    where
        stored.reject_reason = 'future_timestamp'
        or coalesce(cast(stored.event_time as date) >= outliers.first_outlier_day, false)
        <> coalesce(cast(stored.event_time as date) >= stored.first_outlier_day, false)
        or coalesce(cast(stored.event_time as date) <= outliers.last_leading_outlier_day, false)
        <> coalesce(cast(stored.event_time as date) <= stored.last_leading_outlier_day, false)
),

deduplicated as (
    select all_deduplicated.*
    from {{ ref('base_events_deduplicated') }} as all_deduplicated
    where exists (select 1 from rows_to_type where rows_to_type.raw_row_id = all_deduplicated.raw_row_id)
),

{%- endif %}
{#- a full build reads the table itself where it needs the rows: DuckDB
    stores a CTE read twice whole before reading it
    (docs/performance.md#why-the-models-are-written-as-they-are) -#}
{%- set folded_rows = 'deduplicated' if is_incremental() else ref('base_events_deduplicated') %}

typed as (
    select
        {{ clean_id('event_id') }} as event_id,
        {{ parse_timestamp('event_time') }} as event_time,
        {{ clean_id('anonymous_id') }} as anonymous_id,
        {{ clean_id('user_id') }} as user_id,
        {{ clean_code('event_type') }} as event_type,
        -- free text longer than its limit becomes null (counted in too_long_columns);
        -- the rest is scrubbed of personal data below
        {{ text_within_limit('page_url') }} as page_url,
        {{ text_within_limit('referrer') }} as referrer,
        {{ text_within_limit('utm_source') }} as utm_source,
        {{ text_within_limit('utm_medium') }} as utm_medium,
        {{ text_within_limit('utm_campaign') }} as utm_campaign,
        {{ clean_code('device_type') }} as device_type,
        {{ clean_code('platform') }} as platform,
        {{ text_within_limit('search_term') }} as search_term,
        {{ clean_id('product_id') }} as product_id,
        {{ text_within_limit('category') }} as category,
        {{ too_long_columns(event_free_text_columns()) }} as too_long_columns,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_events') }}
    from {{ folded_rows }}
),

{% if is_incremental() -%}
-- the keys of the rows typed again, cleaned once: matched against the stored
-- rows with the cleaning inside a correlated exists, DuckDB took more than
-- six minutes at one million users (docs/performance.md#daily-incremental-runs)
retyped_event_ids as (
    select distinct {{ clean_id('event_id') }} as event_id
    from deduplicated
),

{% endif -%}
-- from the folded rows, not from typed: typed is read once, so the database
-- streams it instead of holding every typed row
duplicate_keys as (
    select event_id
    from (
        select {{ clean_id('event_id') }} as event_id from {{ folded_rows }}
        {%- if is_incremental() %}
        union all
        select stored.event_id
        from {{ this }} as stored
        where
            not exists (select 1 from rows_to_type where rows_to_type.raw_row_id = stored.raw_row_id)
            and stored.event_id in (select retyped_event_ids.event_id from retyped_event_ids)
        {%- endif %}
    ) as event_ids
    where event_id is not null
    group by event_id
    having count(*) > 1
),

checked as (
    select
        typed.*,
        {{ parent_state('typed.user_id', 'parent_users') }} as user_state,
        outliers.first_outlier_day,
        outliers.last_leading_outlier_day,
        case
            when typed.event_id is null or typed.anonymous_id is null then 'null_key'
            when duplicate_keys.event_id is not null then 'duplicate_key'
            when typed.event_type is null then 'null_event_type'
            {{ timestamp_reject_reason('typed.raw_event_time', 'typed.event_time', 'outliers') }}
            {{ foreign_key_reject_reason('typed.user_id', 'parent_users', optional=true) }}
        end as reject_reason
    from typed
    cross join outliers
    left join parent_users on typed.user_id = parent_users.parent_key
    left join duplicate_keys on typed.event_id = duplicate_keys.event_id
),

rows_written as (
    select
        raw_row_id,
        event_id,
        event_time,
        anonymous_id,
        user_id,
        event_type,
        event_type in ({{ sql_values(var('known_event_types')) }}) as is_known_event_type,
        -- free text scrubbed of email addresses and phone numbers however typed (docs/rules/user-profile.md)
        {{ scrub_personal_data('page_url') }} as page_url,
        {{ scrub_personal_data('referrer') }} as referrer,
        lower({{ scrub_personal_data('utm_source') }}) as utm_source,
        lower({{ scrub_personal_data('utm_medium') }}) as utm_medium,
        {{ scrub_personal_data('utm_campaign') }} as utm_campaign,
        device_type,
        platform,
        {{ scrub_personal_data('search_term') }} as search_term,
        product_id,
        category,
        too_long_columns,
        n_copies - 1 as duplicates_removed,
        reject_reason,
        case when reject_reason is not null then {{ raw_record_json('raw_events') }} end as raw_record,
        user_state,
        first_outlier_day,
        last_leading_outlier_day,
        {{ load_batch() }} as load_batch,
        {{ source_batch(ref('base_events_deduplicated')) }} as source_batch,
        {{ settings_fingerprint(staging_vars) }} as settings_fingerprint
    from checked
)

{{ rows_to_store('rows_written', 'raw_row_id') }}
