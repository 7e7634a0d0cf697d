-- Churn warning (流失预警, SPEC §10) for every user registered by as_of_date
-- (risk low when no signal fires), rule-based and explainable. Signals, with
-- thresholds from vars:
--   inactive_too_long   days since the last activity date (SPEC §8: registration,
--                       events, valid orders, feedback) > churn_inactivity_multiplier
--                       × the user's usual revisit interval: the median gap between
--                       consecutive activity dates; a user with a single activity
--                       date takes the median of all users' usual intervals
--   sessions_dropped    sessions in the last churn_session_window_days days
--                       < churn_session_drop_ratio × sessions in the window before
--                       (needs sessions in the window before)
--   order_overdue       days since the last valid order > churn_order_gap_multiplier
--                       × the user's average days between valid orders (needs two)
--   low_rating          a rating <= churn_low_rating in the last churn_rating_window_days days
-- Risk: high with two or more signals, medium with one, low with none.
-- lifecycle_status is carried so operators can, e.g., leave out the churned.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

users as (
    select
        user_id,
        lifecycle_status
    from {{ ref('int_user_lifecycle') }}
),

activity_gaps as (
    select
        user_id,
        activity_date,
        {{ days_between(
            'lag(activity_date) over (partition by user_id order by activity_date)',
            'activity_date'
        ) }} as gap_days
    from {{ ref('int_user_activity_dates') }}
),

-- each user's median gap from the gaps ranked in one sort: a median
-- aggregate per user held every gap of every user at once (at ten million
-- users it spilled more than 36 GB)
ranked_gaps as (
    select
        user_id,
        gap_days,
        row_number() over (partition by user_id order by gap_days) as gap_rank,
        count(*) over (partition by user_id) as gaps
    from activity_gaps
    where gap_days is not null
),

own_intervals as (
    select
        user_id,
        -- the middle gap, or the mean of the two middle gaps
        avg(gap_days) as own_revisit_days
    from ranked_gaps
    where 2 * gap_rank in (gaps, gaps + 1, gaps + 2)
    group by user_id
),

user_intervals as (
    select
        activity_gaps.user_id,
        {{ days_between('max(activity_gaps.activity_date)', 'min(as_of.as_of_date)') }} as days_since_last_visit,
        min(own_intervals.own_revisit_days) as own_revisit_days
    from activity_gaps
    cross join as_of
    left join own_intervals on activity_gaps.user_id = own_intervals.user_id
    group by activity_gaps.user_id
),

all_users_interval as (
    select {{ median('own_revisit_days') }} as typical_revisit_days
    from user_intervals
),

visits as (
    select
        user_intervals.user_id,
        user_intervals.days_since_last_visit,
        coalesce(user_intervals.own_revisit_days, all_users_interval.typical_revisit_days) as usual_revisit_days
    from user_intervals
    cross join all_users_interval
),

sessions as (
    select
        sessions.person_id as user_id,
        sum(
            case
                when
                    {{ days_between('sessions.session_date', 'as_of.as_of_date') }}
                    < {{ var('churn_session_window_days') }} then 1
                else 0
            end
        ) as sessions_recent,
        sum(
            case
                when
                    {{ days_between('sessions.session_date', 'as_of.as_of_date') }}
                    >= {{ var('churn_session_window_days') }} then 1
                else 0
            end
        ) as sessions_before
    from {{ ref('fct_sessions') }} as sessions
    cross join as_of
    where
        {{ days_between('sessions.session_date', 'as_of.as_of_date') }}
        < 2 * {{ var('churn_session_window_days') }}
    group by sessions.person_id
),

orders as (
    select
        orders.user_id,
        {{ days_between('orders.last_order_date', 'as_of.as_of_date') }} as days_since_last_order,
        orders.avg_days_between_orders
    from {{ ref('int_user_order_summary') }} as orders
    cross join as_of
    where orders.valid_orders > 0
),

low_ratings as (
    select
        feedback.user_id,
        min(feedback.rating) as lowest_recent_rating
    from {{ ref('int_feedback_as_of') }} as feedback
    cross join as_of
    where
        feedback.rating <= {{ var('churn_low_rating') }}
        and {{ days_between('feedback.submitted_date', 'as_of.as_of_date') }} < {{ var('churn_rating_window_days') }}
    group by feedback.user_id
),

signals as (
    select
        users.user_id,
        users.lifecycle_status,
        visits.days_since_last_visit,
        visits.usual_revisit_days,
        coalesce(sessions.sessions_recent, 0) as sessions_recent,
        coalesce(sessions.sessions_before, 0) as sessions_before,
        orders.days_since_last_order,
        orders.avg_days_between_orders,
        low_ratings.lowest_recent_rating,
        coalesce(
            visits.days_since_last_visit > {{ var('churn_inactivity_multiplier') }} * visits.usual_revisit_days,
            false
        ) as inactive_too_long,
        coalesce(sessions.sessions_before, 0) > 0
        and coalesce(sessions.sessions_recent, 0)
        < {{ var('churn_session_drop_ratio') }} * coalesce(sessions.sessions_before, 0) as sessions_dropped,
        coalesce(
            orders.days_since_last_order > {{ var('churn_order_gap_multiplier') }} * orders.avg_days_between_orders,
            false
        ) as order_overdue,
        low_ratings.user_id is not null as low_rating
    from users
    left join visits on users.user_id = visits.user_id
    left join sessions on users.user_id = sessions.user_id
    left join orders on users.user_id = orders.user_id
    left join low_ratings on users.user_id = low_ratings.user_id
),

counted as (
    select
        *,
        cast(inactive_too_long as integer) + cast(sessions_dropped as integer)
        + cast(order_overdue as integer) + cast(low_rating as integer) as signal_count
    from signals
)

select
    counted.user_id,
    counted.inactive_too_long,
    counted.sessions_dropped,
    counted.order_overdue,
    counted.low_rating,
    cast(counted.signal_count as integer) as signal_count,
    case
        when counted.signal_count >= 2 then 'high'
        when counted.signal_count = 1 then 'medium'
        else 'low'
    end as risk_level,
    concat_ws(
        '; ',
        case
            when counted.inactive_too_long
                then
                    'no activity for ' || cast(counted.days_since_last_visit as {{ dbt.type_string() }})
                    || ' days, usually every ' || {{ rounded_text('counted.usual_revisit_days', 1) }}
        end,
        case
            when counted.sessions_dropped
                then
                    'sessions fell from ' || cast(counted.sessions_before as {{ dbt.type_string() }})
                    || ' to ' || cast(counted.sessions_recent as {{ dbt.type_string() }})
        end,
        case
            when counted.order_overdue
                then
                    'no order for ' || cast(counted.days_since_last_order as {{ dbt.type_string() }})
                    || ' days, usually every '
                    || {{ rounded_text('counted.avg_days_between_orders', 1) }}
        end,
        case
            when counted.low_rating
                then 'rated ' || cast(counted.lowest_recent_rating as {{ dbt.type_string() }}) || ' recently'
        end
    ) as reasons,
    counted.lifecycle_status,
    cast(counted.days_since_last_visit as integer) as days_since_last_visit,
    cast(counted.usual_revisit_days as {{ type_double() }}) as usual_revisit_days,
    cast(counted.sessions_recent as bigint) as sessions_recent,
    cast(counted.sessions_before as bigint) as sessions_before,
    cast(counted.days_since_last_order as integer) as days_since_last_order,
    cast(counted.avg_days_between_orders as {{ type_double() }}) as avg_days_between_orders,
    as_of.as_of_date
from counted
cross join as_of
