-- Tags whose rule is profile_match (docs/rules/tags.md): a profile column of a
-- registered user fully matches the seed's match_pattern; the evidence is the
-- value. Attribute and lifecycle tags are of this shape, and the prospect
-- decile's (docs/prospects.md).
with

rules as (
    {{ tag_rules('profile_match') }}
),

profiles as (
    select
        attributes.user_id,
        attributes.gender,
        attributes.age_band,
        attributes.city,
        attributes.signup_channel,
        lifecycle.lifecycle_status,
        prospects.prospect_decile
    from {{ ref('int_user_attributes') }} as attributes
    left join {{ ref('int_user_lifecycle') }} as lifecycle on attributes.user_id = lifecycle.user_id
    left join {{ ref('int_prospect_ranks') }} as prospects on attributes.user_id = prospects.user_id
),

profile_values as (
    {{ tag_values('profile_match', 'profiles', 'user_id') }}
),

matching_values as (
    {{ tag_matching_values('profile_values') }}
)

select
    matching_values.tag_id,
    profile_values.user_id,
    profile_values.match_value as evidence
from profile_values
inner join matching_values
    on
        profile_values.match_column = matching_values.match_column
        and profile_values.match_value = matching_values.match_value
