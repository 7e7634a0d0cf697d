-- One row per person and day with any event (events are cut at as_of_date): the grain
-- that visitor counts (uv, new and returning visitors) are taken from, so
-- that week and month counts are distinct over the period, not sums of days.
with

person_days as (
    select
        person_id,
        activity_date,
        cast(sum(events) as bigint) as events,
        cast(sum(case when event_type = 'page_view' then events else 0 end) as bigint) as page_views
    from {{ ref('int_person_event_days') }}
    group by person_id, activity_date
)

select
    person_id,
    activity_date,
    events,
    page_views,
    activity_date = min(activity_date) over (partition by person_id) as is_first_visit_day
from person_days
