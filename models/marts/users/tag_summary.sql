-- Users per tag on as_of_date (docs/rules/tags.md), every tag of seed tag_definitions
-- listed, zeros included; share = users holding it / registered users.
with

tag_definitions as (
    select
        tag_id,
        tag_group,
        tag_name,
        tag_name_zh
    from {{ ref('tag_definitions') }}
),

users as (
    select count(*) as registered_users
    from {{ ref('int_user_attributes') }}
),

tag_users as (
    select
        tag_id,
        count(*) as users
    from {{ ref('user_tags') }}
    group by tag_id
)

select
    tag_definitions.tag_id,
    tag_definitions.tag_group,
    tag_definitions.tag_name,
    tag_definitions.tag_name_zh,
    cast(coalesce(tag_users.users, 0) as bigint) as users,
    cast(coalesce(tag_users.users, 0) as {{ type_double() }}) / nullif(users.registered_users, 0) as share_of_users
from tag_definitions
cross join users
left join tag_users on tag_definitions.tag_id = tag_users.tag_id
