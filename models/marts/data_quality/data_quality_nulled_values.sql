-- Optional values that failed their check and became null (docs/raw-contract.md): per
-- relation, column and reason. The row itself is kept.
{%- set event_text = event_free_text_columns() %}
with

users as (
    select
        birth_date_nulled,
        city_nulled,
        email_nulled,
        phone_nulled
    from {{ ref('base_users_typed') }}
    where reject_reason is null
),

user_values as (
    {%- for column in ['birth_date', 'city', 'email', 'phone'] %}
    select
        'raw_users' as relation,
        '{{ column }}' as column_name,
        {{ column }}_nulled as reason,
        count(*) as nulled_rows
    from users
    where {{ column }}_nulled is not null
    group by {{ column }}_nulled
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

-- one scan of the events for every column
event_counts as (
    select
        {%- for column in event_text %}
        sum(case when too_long_columns like '%,{{ column }},%' then 1 else 0 end) as {{ column }},
        {%- endfor %}
        count(*) as rows_with_too_long_text
    from {{ ref('base_events_typed') }}
    where reject_reason is null and too_long_columns is not null
),

event_values as (
    {%- for column in event_text %}
    select
        'raw_events' as relation,
        '{{ column }}' as column_name,
        'too_long' as reason,
        {{ column }} as nulled_rows
    from event_counts
    where {{ column }} > 0
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

nulled as (
    select
        relation,
        column_name,
        reason,
        nulled_rows
    from user_values
    union all
    select
        relation,
        column_name,
        reason,
        nulled_rows
    from event_values
)

select
    relation || ':' || column_name || ':' || reason as nulled_value_id,
    relation,
    column_name,
    reason,
    cast(nulled_rows as bigint) as nulled_rows
from nulled
