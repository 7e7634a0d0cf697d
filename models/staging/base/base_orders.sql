with

deduplicated as (
    select * from {{ ref('base_orders_deduplicated') }}
),

users as (
    select user_id from {{ ref('stg_users') }}
),

typed as (
    select
        {{ clean_id('order_id') }} as order_id,
        {{ clean_id('user_id') }} as user_id,
        {{ parse_timestamp('ordered_at') }} as ordered_at,
        case {{ clean_code('status') }}
            when 'canceled' then 'cancelled'
            when 'complete' then 'completed'
            else {{ clean_code('status') }}
        end as status,
        {{ parse_amount('amount') }} as amount,
        coalesce({{ parse_amount('discount_amount') }}, 0) as discount_amount,
        {{ clean_text('discount_amount') }} is not null
        and {{ parse_amount('discount_amount') }} is null as is_discount_unparseable,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_code('channel') }} as channel,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_orders') }}
    from deduplicated
),

duplicate_keys as (
    select order_id
    from typed
    where order_id is not null
    group by order_id
    having count(*) > 1
),

checked as (
    select
        typed.*,
        case
            when typed.order_id is null or typed.user_id is null then 'null_key'
            when duplicate_keys.order_id is not null then 'duplicate_key'
            when {{ clean_text('typed.raw_ordered_at') }} is null then 'null_timestamp'
            when typed.ordered_at is null then 'unparseable_timestamp'
            when typed.ordered_at > {{ run_started_at_utc() }} then 'future_timestamp'
            when typed.amount is null or typed.is_discount_unparseable then 'unparseable_amount'
            when typed.amount < 0 or typed.discount_amount < 0 then 'negative_amount'
            when coalesce(typed.status not in ({{ sql_values(var('order_statuses')) }}), true) then 'unknown_status'
            when users.user_id is null then 'orphan_foreign_key'
        end as reject_reason
    from typed
    left join users on typed.user_id = users.user_id
    left join duplicate_keys on typed.order_id = duplicate_keys.order_id
)

select
    raw_row_id,
    order_id,
    user_id,
    ordered_at,
    status,
    status in ({{ sql_values(var('valid_order_statuses')) }}) as is_valid,
    amount,
    discount_amount,
    currency,
    channel,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_orders') }} end as raw_record
from checked
