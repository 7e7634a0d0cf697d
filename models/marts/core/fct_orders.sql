-- One row per order up to as_of_date, valid or not (docs/raw-contract.md, docs/rules/operating-metrics.md); money in
-- the reporting currency.
select
    order_id,
    user_id,
    ordered_at,
    order_date,
    status,
    is_valid,
    amount,
    discount_amount,
    gross_amount,
    currency,
    exchange_rate,
    amount_in_order_currency,
    channel,
    line_count,
    item_count,
    valid_order_number,
    days_since_previous_valid_order
from {{ ref('int_order_facts') }}
