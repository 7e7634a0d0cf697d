-- Tags whose rule is profile_match (SPEC §7): a profile column of a
-- registered user fully matches the seed's match_pattern; the evidence is the
-- value. Attribute and lifecycle tags are of this shape.
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
        lifecycle.lifecycle_status
    from {{ ref('int_user_attributes') }} as attributes
    left join {{ ref('int_user_lifecycle') }} as lifecycle on attributes.user_id = lifecycle.user_id
),

profile_values as (
    select
        rules.tag_id,
        profiles.user_id,
        {{ tag_match_value('profile_match', 'profiles') }} as match_value,
        rules.match_pattern
    from profiles
    cross join rules
)

select
    tag_id,
    user_id,
    match_value as evidence
from profile_values
where {{ matches_pattern('match_value', 'match_pattern') }}
