-- Tags whose rule is cart_abandonment (docs/rules/tags.md): sessions with add_to_cart
-- but no purchase in the window at least the threshold, and no valid order
-- since the last such session; the evidence is the number of sessions.
with

rules as (
    {{ tag_rules('cart_abandonment') }}
),

abandoned_sessions as (
    select
        sessions.person_id as user_id,
        sessions.session_date,
        sessions.started_at
    from {{ ref('int_sessions') }} as sessions
    inner join {{ ref('int_users_as_of') }} as users on sessions.person_id = users.user_id
    where sessions.has_add_to_cart and not sessions.converted
),

abandoned_carts as (
    select
        rules.tag_id,
        abandoned_sessions.user_id,
        count(*) as abandoned_sessions,
        max(abandoned_sessions.started_at) as last_abandoned_at,
        min(rules.threshold) as threshold
    from abandoned_sessions
    inner join rules on abandoned_sessions.session_date between rules.window_start and rules.window_end
    group by rules.tag_id, abandoned_sessions.user_id
)

select
    abandoned_carts.tag_id,
    abandoned_carts.user_id,
    {{ tag_evidence('abandoned_carts.abandoned_sessions') }} as evidence
from abandoned_carts
where
    abandoned_carts.abandoned_sessions >= abandoned_carts.threshold
    and not exists (
        select 1
        from {{ ref('int_order_facts') }} as orders
        where
            orders.is_valid
            and orders.user_id = abandoned_carts.user_id
            and orders.ordered_at >= abandoned_carts.last_abandoned_at
    )
