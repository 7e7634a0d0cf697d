-- Active users and stickiness per day: dau = persons with an event that day;
-- wau and mau = distinct persons with an event in the trailing
-- active_users_week_days and active_users_month_days days ending that day;
-- stickiness = dau / mau. Each person-day keeps its person counted from that
-- day until the next activity day or the window's end, whichever comes first:
-- these spans never overlap, so a running sum of span starts and ends counts
-- the distinct persons in every trailing window with one pass over person-days.
with

person_days as (
    select
        activity_date,
        lead(activity_date) over (partition by person_id order by activity_date) as next_activity_date
    from {{ ref('int_person_days') }}
),

span_ends as (
    select
        activity_date,
        {{ span_end('activity_date', 'next_activity_date', var('active_users_week_days')) }} as week_span_end,
        {{ span_end('activity_date', 'next_activity_date', var('active_users_month_days')) }} as month_span_end
    from person_days
),

changes as (
    select
        activity_date as change_date,
        1 as dau_change,
        1 as wau_change,
        1 as mau_change
    from span_ends
    union all
    select
        week_span_end as change_date,
        0 as dau_change,
        -1 as wau_change,
        0 as mau_change
    from span_ends
    union all
    select
        month_span_end as change_date,
        0 as dau_change,
        0 as wau_change,
        -1 as mau_change
    from span_ends
),

daily_changes as (
    select
        change_date,
        sum(dau_change) as dau,
        sum(wau_change) as wau_change,
        sum(mau_change) as mau_change
    from changes
    group by change_date
),

active_users as (
    select
        calendar.date_day,
        coalesce(daily_changes.dau, 0) as dau,
        sum(coalesce(daily_changes.wau_change, 0)) over (order by calendar.date_day rows unbounded preceding) as wau,
        sum(coalesce(daily_changes.mau_change, 0)) over (order by calendar.date_day rows unbounded preceding) as mau
    from {{ ref('int_calendar') }} as calendar
    left join daily_changes on calendar.date_day = daily_changes.change_date
)

select
    date_day,
    cast(dau as bigint) as dau,
    cast(wau as bigint) as wau,
    cast(mau as bigint) as mau,
    cast(dau as {{ type_double() }}) / nullif(mau, 0) as stickiness
from active_users
