-- Churn warning (流失预警, docs/rules/churn-warning.md): the rule signals, their vars and the risk levels
-- (described once, in _churn.yml), beside the fitted churn_probability (int_churn_scores).
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

-- median gaps ranked in one sort (docs/performance.md#why-the-models-are-written-as-they-are)
ranked_gaps as (
    select
        user_id,
        activity_date,
        gap_days,
        row_number() over (partition by user_id order by gap_days nulls last) as gap_rank,
        count(gap_days) over (partition by user_id) as gaps
    from activity_gaps
),

user_intervals as (
    select
        ranked_gaps.user_id,
        {{ days_between('max(ranked_gaps.activity_date)', 'min(as_of.as_of_date)') }} as days_since_last_visit,
        -- the middle gap, or the mean of the two middle gaps (null without gaps)
        avg(case when 2 * ranked_gaps.gap_rank - ranked_gaps.gaps in (0, 1, 2) then ranked_gaps.gap_days end)
            as own_revisit_days
    from ranked_gaps
    cross join as_of
    group by ranked_gaps.user_id
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
    cast(scores.churn_probability as {{ type_double() }}) as churn_probability,
    as_of.as_of_date
from counted
cross join as_of
left join {{ ref('int_churn_scores') }} as scores on counted.user_id = scores.user_id and scores.purpose = 'score'
