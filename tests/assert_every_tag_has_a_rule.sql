-- Every tag of seed tag_definitions has a rule, and every rule a tag (docs/rules/tags.md):
-- a row naming an unknown rule shape, a column its shape cannot match, or
-- lacking a parameter its shape needs would silently tag nobody, and a shape
-- no row uses is dead code. Fails with a message naming the tag or shape;
-- the catalogue is tag_rule_catalogue() (macros/tags.sql).
{%- set catalogue = tag_rule_catalogue() %}
with

definitions as (
    select
        tag_id,
        rule,
        match_column,
        match_pattern,
        cast(threshold as {{ dbt.type_string() }}) as threshold,
        cast(window_days as {{ dbt.type_string() }}) as window_days,
        cast(min_sample as {{ dbt.type_string() }}) as min_sample
    from {{ ref('tag_definitions') }}
),

shapes as (
    {%- for rule, shape in catalogue.items() %}
    {% if not loop.first %}union all{% endif %}
    select
        '{{ rule }}' as rule_shape,
        {{ sql_values([shape['columns'] | join(', ')]) }} as columns_offered
    {%- endfor %}
),

shapes_in_use as (
    select distinct rule as rule_shape
    from definitions
    where rule is not null
),

problems as (
    select
        'tag ' || definitions.tag_id || ': rule ''' || coalesce(definitions.rule, '')
        || ''' is not a rule shape (one of: {{ catalogue.keys() | join(', ') }}'
        || '; a new shape is a model models/intermediate/tags/int_tags_<rule>.sql listed in tag_rule_catalogue())'
            as problem
    from definitions
    where definitions.rule is null or definitions.rule not in (select shapes.rule_shape from shapes)
    union all
    select 'rule shape ' || shapes.rule_shape || ' has no tag in seed tag_definitions' as problem
    from shapes
    where shapes.rule_shape not in (select shapes_in_use.rule_shape from shapes_in_use)
    union all
    select
        'tag ' || definitions.tag_id || ': rule ' || definitions.rule || ' cannot match column '''
        || coalesce(definitions.match_column, '') || ''' (it offers: ' || shapes.columns_offered || ')' as problem
    from definitions
    inner join shapes on definitions.rule = shapes.rule_shape
    where
        shapes.columns_offered != ''
        and (
            definitions.match_column is null
            or ', ' || shapes.columns_offered || ', ' not like '%, ' || definitions.match_column || ', %'
        )
    {%- for rule, shape in catalogue.items() %}
    {%- for parameter in shape['parameters'] %}
    union all
    select 'tag ' || tag_id || ': rule {{ rule }} needs {{ parameter }}' as problem
    from definitions
    where rule = '{{ rule }}' and {{ parameter }} is null
    {%- endfor %}
    {%- endfor %}
    {%- if execute %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name.startswith('int_tags_')
        and node.name[9:] not in catalogue %}
    union all
    select 'model {{ node.name }} is not listed in tag_rule_catalogue(), so user_tags never reads it' as problem
    {%- endfor %}
    {%- endif %}
)

{{ raise_problems('problems', 'tag_definitions') }}
