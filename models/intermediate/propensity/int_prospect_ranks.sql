-- Every prospect on as_of_date (docs/prospects.md): a registered user without
-- a valid order, ranked by purchase_probability (ties: user_id), with the
-- decile (1 = the likeliest tenth) and the three features that raise their
-- score most over the average prospect's, in words, with their values.
with

scores as (
    select
        user_id,
        purchase_probability
    from {{ ref('int_prospect_scores') }}
    where purpose = 'score'
),

contributions as (
    select
        snapshots.user_id,
        snapshots.feature,
        snapshots.raw_value,
        coefficients.coefficient * (snapshots.feature_value - coefficients.feature_mean)
        / coefficients.feature_scale as contribution
    from {{ ref('int_prospect_snapshots') }} as snapshots
    inner join {{ ref('int_prospect_coefficients') }} as coefficients on snapshots.feature = coefficients.feature
    where snapshots.purpose = 'score'
),

ranked_reasons as (
    select
        contributions.user_id,
        features.words || ': ' || cast(cast(contributions.raw_value as bigint) as {{ dbt.type_string() }}) as reason,
        row_number() over (
            partition by contributions.user_id
            order by {{ round_double('contributions.contribution', 12) }} desc, contributions.feature asc
        ) as reason_rank
    from contributions
    inner join {{ ref('propensity_features') }} as features on contributions.feature = features.feature
    where contributions.contribution > 0
),

reasons as (
    select
        user_id,
        {{ dbt.listagg('reason', "'; '", 'order by reason_rank') }} as reasons
    from ranked_reasons
    where reason_rank <= 3
    group by user_id
)

select
    scores.user_id,
    scores.purchase_probability,
    cast(row_number() over (
        order by {{ round_double('scores.purchase_probability', 12) }} desc, scores.user_id asc
    ) as bigint) as prospect_rank,
    cast(ntile(10) over (
        order by {{ round_double('scores.purchase_probability', 12) }} desc, scores.user_id asc
    ) as integer) as prospect_decile,
    reasons.reasons
from scores
left join reasons on scores.user_id = reasons.user_id
where scores.purchase_probability is not null
