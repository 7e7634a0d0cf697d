-- Tags (docs/rules/tags.md): one row per registered user and tag held on as_of_date,
-- with the rule's evidence. Seed tag_definitions lists the tags; each rule
-- shape is one model in models/intermediate/tags, listed by
-- tag_rule_catalogue(); this mart only assembles them.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

tag_definitions as (
    select
        tag_id,
        tag_group,
        tag_name,
        tag_name_zh
    from {{ ref('tag_definitions') }}
),

tagged_users as (
    {%- for rule in tag_rule_catalogue() %}
    {% if not loop.first %}union all{% endif %}
    select
        tag_id,
        user_id,
        evidence
    from {{ ref('int_tags_' ~ rule) }}
    {%- endfor %}
)

select
    tagged_users.user_id || '|' || tagged_users.tag_id as user_tag_id,
    tagged_users.user_id,
    tagged_users.tag_id,
    tag_definitions.tag_group,
    tag_definitions.tag_name,
    tag_definitions.tag_name_zh,
    tagged_users.evidence,
    as_of.as_of_date
from tagged_users
inner join tag_definitions on tagged_users.tag_id = tag_definitions.tag_id
cross join as_of
