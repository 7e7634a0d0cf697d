-- Members per audience on as_of_date (docs/audiences.md), every audience of the seed
-- listed, empty ones with 0.
with

sizes as (
    select
        audience_id,
        count(*) as members
    from {{ ref('audience_members') }}
    group by audience_id
),

users as (
    select count(*) as users
    from {{ ref('int_users_as_of') }}
)

select
    audiences.audience_id,
    audiences.audience_name,
    audiences.audience_name_zh,
    audiences.purpose,
    audiences.rule,
    cast(coalesce(sizes.members, 0) as bigint) as members,
    cast(coalesce(sizes.members, 0) as {{ type_double() }}) / nullif(users.users, 0) as share_of_users
from {{ ref('audiences') }} as audiences
cross join users
left join sizes on audiences.audience_id = sizes.audience_id
