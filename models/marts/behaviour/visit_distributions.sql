-- Visit distributions up to as_of_date (docs/rules/operating-metrics.md), bucketed by seed
-- distribution_buckets: visits per user (persons by sessions), hour of day
-- (sessions by UTC start hour) and revisit interval (gaps in days between a
-- person's consecutive sessions). Every bucket is listed, zeros included.
with

buckets as (
    select
        distribution,
        bucket_order,
        bucket,
        min_value,
        max_value
    from {{ ref('distribution_buckets') }}
),

sessions as (
    select
        person_id,
        session_id,
        started_at,
        session_date,
        session_hour
    from {{ ref('fct_sessions') }}
),

visits_per_person as (
    select count(*) as measured_value
    from sessions
    group by person_id
),

revisit_gaps as (
    select
        {{ days_between(
            'lag(session_date) over (partition by person_id order by started_at, session_id)',
            'session_date'
        ) }} as measured_value
    from sessions
),

measurements as (
    select
        'visits_per_user' as distribution,
        measured_value
    from visits_per_person
    union all
    select
        'hour_of_day' as distribution,
        session_hour as measured_value
    from sessions
    union all
    select
        'revisit_interval_days' as distribution,
        measured_value
    from revisit_gaps
    where measured_value is not null
),

counted as (
    select
        buckets.distribution,
        buckets.bucket_order,
        buckets.bucket,
        count(measurements.measured_value) as measured_count
    from buckets
    left join measurements
        on
            buckets.distribution = measurements.distribution
            and buckets.min_value <= measurements.measured_value
            and (buckets.max_value is null or buckets.max_value >= measurements.measured_value)
    group by buckets.distribution, buckets.bucket_order, buckets.bucket
)

select
    distribution,
    bucket_order,
    bucket,
    cast(measured_count as bigint) as measured_count,
    cast(measured_count as {{ type_double() }})
    / nullif(sum(measured_count) over (partition by distribution), 0) as share_of_total
from counted
