-- Events per person, day and event type, up to as_of_date: the one scan of
-- the events that per-person daily counts (int_person_days) and event-type
-- tag rules (int_tags_event_count) read.
select
    person_id,
    event_date as activity_date,
    event_type,
    count(*) as events
from {{ ref('int_events_sessionized') }}
group by person_id, event_date, event_type
