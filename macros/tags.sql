{#- Tag rules (docs/rules/tags.md). Seed tag_definitions holds every tag; its `rule`
    column names the rule shape, and each shape is one model,
    models/intermediate/tags/int_tags_<rule>.sql, returning (tag_id, user_id,
    evidence) for every tag of that shape. user_tags unions the models listed
    here; tests/assert_every_tag_has_a_rule.sql checks the seed against this
    catalogue. A shape that matches a column lists the columns it offers; the
    others list the parameters a seed row must fill. -#}
{% macro tag_rule_catalogue() -%}
    {{ return({
        'profile_match': {
            'columns': ['gender', 'age_band', 'city', 'signup_channel', 'lifecycle_status', 'prospect_decile'],
            'parameters': ['match_column', 'match_pattern'],
        },
        'active_days': {'columns': [], 'parameters': ['threshold', 'window_days']},
        'event_count': {
            'columns': ['event_type'],
            'parameters': ['match_column', 'match_pattern', 'threshold', 'window_days'],
        },
        'session_share': {
            'columns': ['session_hour', 'device_type', 'platform', 'channel_group'],
            'parameters': ['match_column', 'match_pattern', 'threshold', 'window_days', 'min_sample'],
        },
        'cart_abandonment': {'columns': [], 'parameters': ['threshold', 'window_days']},
        'order_count': {'columns': [], 'parameters': ['threshold', 'window_days']},
        'order_share': {
            'columns': ['has_discount', 'channel'],
            'parameters': ['match_column', 'match_pattern', 'threshold', 'window_days', 'min_sample'],
        },
        'top_revenue_share': {'columns': [], 'parameters': ['threshold', 'window_days']},
        'top_category': {'columns': [], 'parameters': ['window_days', 'min_sample']},
        'birthday_month': {'columns': [], 'parameters': []},
        'revisit_due': {'columns': [], 'parameters': ['min_sample']},
    }) }}
{%- endmacro %}

{#- The seed rows of one rule shape with their parameters, and the window
    (the window_days days ending on as_of_date) as dates. -#}
{% macro tag_rules(rule) -%}
    select
        tag_definitions.tag_id,
        tag_definitions.match_column,
        tag_definitions.match_pattern,
        tag_definitions.threshold,
        tag_definitions.min_sample,
        cast({{ dbt.dateadd('day', '1 - tag_definitions.window_days', 'as_of.as_of_date') }} as date) as window_start,
        as_of.as_of_date as window_end
    from {{ ref('tag_definitions') }} as tag_definitions
    cross join {{ ref('int_as_of_date') }} as as_of
    where tag_definitions.rule = {{ sql_values([rule]) }}
{%- endmacro %}

{#- The (match_column, match_value) pairs of `relation` as rows, one per
    row and column the shape offers, values as text: `subject` is the id
    column (or expression) carried along. Unpivoting lets a pattern be tested once per
    distinct value (tag_matching_values) instead of once per row. -#}
{% macro tag_values(rule, relation, subject) -%}
    {%- for column in tag_rule_catalogue()[rule]['columns'] %}
    {% if not loop.first %}union all{% endif %}
    select
        {{ subject }},
        '{{ column }}' as match_column,
        cast({{ column }} as {{ dbt.type_string() }}) as match_value
    from {{ relation }}
    {%- endfor %}
{%- endmacro %}

{#- For each seed row of a shape, the distinct values of its match_column
    (in `tag_values_relation`, from tag_values) that match its pattern: the
    regular expression runs once per distinct value, not once per row. -#}
{% macro tag_matching_values(tag_values_relation, rules_relation='rules') -%}
    select
        {{ rules_relation }}.tag_id,
        distinct_values.match_column,
        distinct_values.match_value
    from (select distinct match_column, match_value from {{ tag_values_relation }}) as distinct_values
    inner join {{ rules_relation }} on distinct_values.match_column = {{ rules_relation }}.match_column
    where {{ matches_pattern('distinct_values.match_value', rules_relation ~ '.match_pattern') }}
{%- endmacro %}

{#- The share rule shape, shared by session_share and order_share: among at
    least min_sample subjects (sessions, orders) of a user in the window, the
    share whose match_column matches the pattern is at least the threshold;
    the evidence is the share. Expects a CTE `rules` (tag_rules) and
    `subjects` with user_id, `subject_id`, `date_column` and the columns the
    shape offers; emits the CTEs it needs and the final select. -#}
{% macro tag_share_of_matches(rule, subjects, subject_id, date_column) -%}
subject_values as (
    {{ tag_values(rule, subjects, subject_id) }}
),

matching_values as (
    {{ tag_matching_values('subject_values') }}
),

matching_subjects as (
    select
        matching_values.tag_id,
        subject_values.{{ subject_id }}
    from subject_values
    inner join matching_values
        on
            subject_values.match_column = matching_values.match_column
            and subject_values.match_value = matching_values.match_value
),

window_subjects as (
    select
        rules.tag_id,
        {{ subjects }}.user_id,
        rules.threshold,
        rules.min_sample,
        case when matching_subjects.{{ subject_id }} is not null then 1.0 else 0.0 end as is_match
    from {{ subjects }}
    inner join rules on {{ subjects }}.{{ date_column }} between rules.window_start and rules.window_end
    left join matching_subjects
        on
            rules.tag_id = matching_subjects.tag_id
            and {{ subjects }}.{{ subject_id }} = matching_subjects.{{ subject_id }}
)

select
    tag_id,
    user_id,
    {{ tag_evidence('avg(is_match)', share=true) }} as evidence
from window_subjects
group by tag_id, user_id
having count(*) >= min(min_sample) and avg(is_match) >= min(threshold)
{%- endmacro %}

{#- Evidence is text: counts as they are, shares rounded to 3 places. -#}
{% macro tag_evidence(expression, share=false) -%}
    {%- if share -%}
        {{ rounded_text(expression, 3) }}
    {%- else -%}
        cast({{ expression }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
