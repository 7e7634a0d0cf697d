-- One row per person and day with any event (events are cut at as_of_date): the grain
-- that visitor counts (uv, new and returning visitors) are taken from, so
-- that week and month counts are distinct over the period, not sums of days.
with

events as (
    select
        person_id,
        event_date,
        event_type
    from {{ ref('int_events_sessionized') }}
),

person_days as (
    select
        person_id,
        event_date as activity_date,
        count(*) as events,
        cast(sum(case when event_type = 'page_view' then 1 else 0 end) as bigint) as page_views,
        cast(sum(case when event_type = 'search' then 1 else 0 end) as bigint) as searches
    from events
    group by person_id, event_date
)

select
    person_id,
    activity_date,
    events,
    page_views,
    searches,
    activity_date = min(activity_date) over (partition by person_id) as is_first_visit_day
from person_days
