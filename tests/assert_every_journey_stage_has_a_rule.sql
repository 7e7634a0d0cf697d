-- Every stage of seed journey_stages has a rule in int_user_journey_stages
-- (a branch labelled '<stage>' as journey_stage), and every rule a seed row
-- (docs/rules/journey-and-lifecycle.md): a stage without a rule would count nobody, a rule without a row
-- would be dropped from the journey. Fails naming the stage.
{%- set rules = [] %}
{%- if execute %}
{%- set rules = modules.re.findall(
    "'(\w+)' as journey_stage\\b",
    graph.nodes['model.user_warehouse.int_user_journey_stages'].raw_code
) %}
{%- endif %}
with

seed_stages as (
    select stage as journey_stage
    from {{ ref('journey_stages') }}
),

rule_stages as (
    {%- for rule in rules %}
    {% if not loop.first %}union all{% endif %}
    select '{{ rule }}' as journey_stage
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as journey_stage
    {%- endfor %}
),

problems as (
    select 'stage ' || seed_stages.journey_stage || ' has no rule in int_user_journey_stages' as problem
    from seed_stages
    left join rule_stages on seed_stages.journey_stage = rule_stages.journey_stage
    where rule_stages.journey_stage is null
    union all
    select 'int_user_journey_stages has a rule for ' || rule_stages.journey_stage || ', which seed journey_stages lacks'
        as problem
    from rule_stages
    left join seed_stages on rule_stages.journey_stage = seed_stages.journey_stage
    where rule_stages.journey_stage is not null and seed_stages.journey_stage is null
)

{{ raise_problems('problems', 'journey_stages') }}
