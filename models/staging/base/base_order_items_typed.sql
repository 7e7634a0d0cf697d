with

deduplicated as (
    select * from {{ ref('base_order_items_deduplicated') }}
),

parent_orders as (
    {{ parent_keys('base_orders_typed', 'order_id') }}
),

typed as (
    select
        {{ clean_id('order_id') }} as order_id,
        {{ clean_id('product_id') }} as product_id,
        {{ parse_integer('line_no') }} as line_no,
        {{ clean_text('category') }} as category,
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_amount('unit_price') }} as unit_price,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_order_items') }}
    from deduplicated
),

checked as (
    select
        typed.*,
        -- Order lines have no key of their own: number them within the order,
        -- by line_no when the data has it, then by every column, so the
        -- number is the same on every build (nulls placed explicitly: each
        -- engine has its own default).
        row_number() over (
            partition by typed.order_id
            order by
                typed.line_no nulls last,
                typed.product_id nulls last,
                typed.quantity nulls last,
                typed.unit_price nulls last,
                typed.category nulls last,
                typed.raw_row_id
        ) as line_number,
        case
            when typed.order_id is null or typed.product_id is null then 'null_key'
            when typed.quantity is null or typed.quantity <= 0 then 'invalid_quantity'
            when typed.unit_price is null then 'unparseable_amount'
            when typed.unit_price < 0 then 'negative_amount'
            {{ foreign_key_reject_reason('typed.order_id', 'parent_orders') }}
        end as reject_reason
    from typed
    left join parent_orders on typed.order_id = parent_orders.parent_key
)

select
    raw_row_id,
    order_id || '-' || line_number as order_item_id,
    order_id,
    line_number,
    line_no,
    product_id,
    category,
    quantity,
    unit_price,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_order_items') }} end as raw_record
from checked
