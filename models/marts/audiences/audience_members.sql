-- Members of each audience on as_of_date (docs/audiences.md): the users its rule (seed
-- audiences) selects from the tags of user_tags, with the tags named in the
-- rule that the user holds. Rules are parsed into set operations by
-- macros/audiences.sql; a wrong rule fails the build naming the audience.
-- depends_on: {{ ref('tag_definitions') }}
-- depends_on: {{ ref('audiences') }}
{%- set audiences = audience_definitions('users', 'held_tags') %}
with

users as (
    select user_id
    from {{ ref('int_users_as_of') }}
),

held_tags as (
    select
        user_id,
        tag_id
    from {{ ref('user_tags') }}
),

rule_tags as (
    {%- for audience in audiences %}
    {%- for tag_id in audience.tags %}
    select
        {{ sql_values([audience.audience_id]) }} as audience_id,
        {{ sql_values([tag_id]) }} as tag_id
    union all
    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as audience_id,
        cast(null as {{ dbt.type_string() }}) as tag_id
    from users
    where 1 = 0
),

members as (
    {%- for audience in audiences %}
    select
        {{ sql_values([audience.audience_id]) }} as audience_id,
        user_id
    from ({{ audience.sql }}) as audience_{{ loop.index }}
    union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as audience_id,
        user_id
    from users
    where 1 = 0
),

reasons as (
    select
        members.audience_id,
        members.user_id,
        {{ dbt.listagg('held_tags.tag_id', "', '", 'order by held_tags.tag_id') }} as matched_tags
    from members
    inner join rule_tags on members.audience_id = rule_tags.audience_id
    inner join held_tags
        on
            members.user_id = held_tags.user_id
            and rule_tags.tag_id = held_tags.tag_id
    group by members.audience_id, members.user_id
)

select
    members.audience_id || '|' || members.user_id as audience_member_id,
    members.audience_id,
    members.user_id,
    coalesce(reasons.matched_tags, '') as matched_tags
from members
left join reasons
    on
        members.audience_id = reasons.audience_id
        and members.user_id = reasons.user_id
