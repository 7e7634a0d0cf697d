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
        deduplicated as raw_record
    from deduplicated
),

checked as (
    select
        typed.*,
        case
            when typed.order_id is null or typed.user_id is null then 'null_key'
            when count(*) over (partition by typed.order_id) > 1 then 'duplicate_key'
            when {{ clean_text('typed.raw_record.ordered_at') }} is null then 'null_timestamp'
            when typed.ordered_at is null then 'unparseable_timestamp'
            when typed.ordered_at > {{ run_started_at_utc() }} then 'future_timestamp'
            when typed.amount is null or typed.is_discount_unparseable then 'unparseable_amount'
            when typed.amount < 0 or typed.discount_amount < 0 then 'negative_amount'
            when coalesce(typed.status not in ({{ sql_values(var('order_statuses')) }}), true) then 'unknown_status'
            when users.user_id is null then 'orphan_foreign_key'
        end as reject_reason
    from typed
    left join users on typed.user_id = users.user_id
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
    case when reject_reason is not null then cast(to_json(raw_record) as varchar) end as raw_record
from checked
