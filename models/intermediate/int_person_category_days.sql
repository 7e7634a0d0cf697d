-- Product events (events with a category) per person, category and day, up to
-- as_of_date: scanned once from the events for every category preference
-- (dim_users.preferred_category, the favourite_category tag).
select
    person_id,
    category,
    event_date as activity_date,
    count(*) as product_events
from {{ ref('int_events_sessionized') }}
where category is not null
group by person_id, category, event_date
