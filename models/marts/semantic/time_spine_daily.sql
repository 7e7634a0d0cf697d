-- The semantic layer's time spine (MetricFlow): one row per day of the
-- operating calendar, so windows and empty days follow the marts' days.
select date_day
from {{ ref('int_calendar') }}
