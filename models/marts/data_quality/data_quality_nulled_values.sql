-- Optional values that failed their check and became null (docs/raw-contract.md): per
-- relation, column and reason. The row itself is kept.
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

nulled as (
    {%- for column in ['birth_date', 'city', 'email', 'phone'] %}
    select
        '{{ column }}' as column_name,
        {{ column }}_nulled as reason,
        count(*) as nulled_rows
    from users
    where {{ column }}_nulled is not null
    group by {{ column }}_nulled
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select
    'raw_users' || ':' || column_name || ':' || reason as nulled_value_id,
    'raw_users' as relation,
    column_name,
    reason,
    cast(nulled_rows as bigint) as nulled_rows
from nulled
