-- When each user gained or lost each tag (docs/rules/tags.md), from the snapshot of
-- user_tags: a gain when a held period starts, a loss when it ends. changed_at
-- is the time of the snapshot that saw the change; as_of_date is the data
-- date of the build that gained the tag.
with

periods as (
    select
        user_tag_id,
        user_id,
        tag_id,
        as_of_date,
        dbt_valid_from,
        dbt_valid_to
    from {{ ref('user_tags_snapshot') }}
),

changes as (
    select
        user_tag_id,
        user_id,
        tag_id,
        'gained' as change,
        dbt_valid_from as changed_at,
        as_of_date
    from periods
    union all
    select
        user_tag_id,
        user_id,
        tag_id,
        'lost' as change,
        dbt_valid_to as changed_at,
        cast(null as date) as as_of_date
    from periods
    where dbt_valid_to is not null
)

select
    user_tag_id || '|' || change || '|' || cast(changed_at as {{ dbt.type_string() }}) as tag_change_id,
    user_id,
    tag_id,
    change,
    cast(changed_at as timestamp) as changed_at,
    as_of_date
from changes
