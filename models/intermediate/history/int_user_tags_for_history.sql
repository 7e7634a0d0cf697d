-- What the tag snapshot records this build (docs/rules/tags.md#history): user_tags
-- when the build advances history, otherwise the periods the snapshot holds
-- open, so that a what-if build changes nothing in it.
{%- set snapshot = recorded_history('user_tags_snapshot') %}
{%- set columns = 'user_tag_id, user_id, tag_id, tag_group, tag_name, tag_name_zh, evidence, as_of_date' %}
with

gate as (
    select advances_history from {{ ref('int_history_gate') }}
)

select {{ columns }}
from {{ ref('user_tags') }}
where (select gate.advances_history from gate)
{%- if snapshot is not none %}
union all
select {{ columns }}
from {{ snapshot }}
where dbt_valid_to is null and not (select gate.advances_history from gate)
{%- endif %}
