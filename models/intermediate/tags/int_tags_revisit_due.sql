-- Tags whose rule is revisit_due (docs/audiences.md, a care tag): users with at least
-- min_sample valid orders whose days since the last valid order reached
-- their average days between valid orders; the evidence is the days since
-- the last order.
with

rules as (
    {{ tag_rules('revisit_due') }}
),

buyers as (
    select
        user_id,
        valid_orders,
        last_order_date,
        avg_days_between_orders
    from {{ ref('int_user_order_summary') }}
)

select
    rules.tag_id,
    buyers.user_id,
    {{ tag_evidence(days_between('buyers.last_order_date', 'rules.window_end')) }} as evidence
from buyers
inner join rules
    on
        buyers.valid_orders >= rules.min_sample
        and {{ days_between('buyers.last_order_date', 'rules.window_end') }} >= buyers.avg_days_between_orders
