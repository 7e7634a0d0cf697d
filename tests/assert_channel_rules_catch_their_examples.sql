-- Every rule of seed channel_rules can match (docs/rules/identity-and-sessions.md): its own example
-- traffic (example_source / _medium / _referrer, empty = absent) is classified
-- by that very rule, not by an earlier one and not by none. Returns each rule
-- whose example lands elsewhere, with the rule that took it.
with

rules as (
    select * from {{ ref('channel_rules') }}
),

examples as (
    select
        rule_order as example_rule,
        lower(example_source) as utm_source,
        lower(example_medium) as utm_medium,
        example_referrer as referrer
    from rules
),

first_matches as (
    select
        examples.example_rule,
        min(rules.rule_order) as matched_rule
    from examples
    left join rules
        on
            {{ matches_rule('examples.utm_source', 'rules.source_pattern') }}
            and {{ matches_rule('examples.utm_medium', 'rules.medium_pattern') }}
            and {{ matches_rule('examples.referrer', 'rules.referrer_pattern') }}
    group by examples.example_rule
)

select
    example_rule,
    matched_rule
from first_matches
where matched_rule is distinct from example_rule
