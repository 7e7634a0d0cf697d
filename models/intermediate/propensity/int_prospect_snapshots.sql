-- What the prospect model learns from and scores (docs/prospects.md): every
-- user registered by a snapshot day without a valid order up to it, described
-- by what the warehouse knew on that day, one row per feature (value = ln(1 +
-- the count or days), so that the fit and the SQL scoring read the same list).
-- Two snapshots (purpose): fit, as_of_date minus var prospect_horizon_days, with
-- the label (a first valid order in the horizon after it), every fifth user by
-- user_id kept out of the fit to validate it; and score, as_of_date.
{%- set features = [
    'days_since_registration', 'days_since_last_activity', 'active_days', 'recent_active_days',
    'page_views', 'searches', 'clicks', 'cart_events',
] %}
{%- set window = var('prospect_recent_days') %}
with

snapshots as (
    {{ propensity_snapshot_days('prospect_horizon_days') }}
),

first_orders as (
    select
        user_id,
        min(order_date) as first_order_date
    from {{ ref('int_order_facts') }}
    where is_valid
    group by user_id
),

users as (
    select
        snapshots.purpose,
        snapshots.snapshot_date,
        users.user_id,
        users.registration_date,
        {{ days_between('snapshots.snapshot_date', 'first_orders.first_order_date') }} as first_order_days_after
    from {{ ref('int_users_as_of') }} as users
    inner join snapshots on users.registration_date <= snapshots.snapshot_date
    left join first_orders on users.user_id = first_orders.user_id
    where first_orders.first_order_date is null or first_orders.first_order_date > snapshots.snapshot_date
),

activity as (
    select
        users.purpose,
        users.user_id,
        max(dates.activity_date) as last_activity_date,
        count(*) as active_days,
        count(
            case when {{ days_between('dates.activity_date', 'users.snapshot_date') }} < {{ window }} then 1 end
        ) as recent_active_days
    from users
    inner join {{ ref('int_user_activity_dates') }} as dates
        on users.user_id = dates.user_id and users.snapshot_date >= dates.activity_date
    group by users.purpose, users.user_id
),

events as (
    select
        users.purpose,
        users.user_id,
        sum(case when person_days.event_type = 'page_view' then person_days.events else 0 end) as page_views,
        sum(case when person_days.event_type = 'search' then person_days.events else 0 end) as searches,
        sum(case when person_days.event_type = 'click' then person_days.events else 0 end) as clicks,
        sum(
            case when person_days.event_type in ('add_to_cart', 'checkout') then person_days.events else 0 end
        ) as cart_events
    from users
    inner join {{ ref('int_person_event_days') }} as person_days
        on users.user_id = person_days.person_id and users.snapshot_date >= person_days.activity_date
    group by users.purpose, users.user_id
),

described as (
    select
        users.purpose,
        users.user_id,
        {{ days_between('users.registration_date', 'users.snapshot_date') }} as days_since_registration,
        {{ days_between('activity.last_activity_date', 'users.snapshot_date') }} as days_since_last_activity,
        activity.active_days,
        activity.recent_active_days,
        coalesce(events.page_views, 0) as page_views,
        coalesce(events.searches, 0) as searches,
        coalesce(events.clicks, 0) as clicks,
        coalesce(events.cart_events, 0) as cart_events,
        case
            when users.purpose = 'fit'
                then coalesce(users.first_order_days_after, 0) between 1 and {{ var('prospect_horizon_days') }}
        end as is_first_buyer,
        users.purpose = 'fit'
        and mod(row_number() over (partition by users.purpose order by users.user_id), 5) = 0 as is_validation
    from users
    inner join activity on users.purpose = activity.purpose and users.user_id = activity.user_id
    left join events on users.purpose = events.purpose and users.user_id = events.user_id
)

{{ propensity_feature_rows('described', features, 'is_first_buyer') }}
