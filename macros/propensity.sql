{#- Measuring a propensity model on the users kept out of its fit
    (docs/rules/churn-warning.md#churn-probability). -#}

{#- The area under the ROC curve of `score` for the boolean `label` over the
    rows of `relation` (a CTE name): the Mann-Whitney form, ties counted half,
    scores rounded to 12 decimals first so that engines agree on the ties.
    Null without both labels. -#}
{% macro roc_auc(relation, score, label) -%}
    -- in doubles: ranks are whole or half numbers, exact there, and Spark's
    -- decimal division would keep 6 places only
    select
        (
            sum(case when is_positive then average_rank end)
            - count(case when is_positive then 1 end) * (count(case when is_positive then 1 end) + 1) / 2.0
        )
        / nullif(
            cast(count(case when is_positive then 1 end) as {{ type_double() }})
            * count(case when not is_positive then 1 end),
            0
        ) as auc
    from (
        select
            {{ label }} as is_positive,
            cast(rank() over (order by {{ round_double(score, 12) }}) as {{ type_double() }})
            + (count(*) over (partition by {{ round_double(score, 12) }}) - 1) / 2.0 as average_rank
        from {{ relation }}
        where {{ score }} is not null
    ) as ranked
{%- endmacro %}

{#- A propensity model's coefficients on every engine, one row per feature and
    the intercept, from where this engine fits them (macro fit_relation): the
    dbt Python model `fit_model` on DuckDB, the table `fit_table` of source
    propensity elsewhere. A fit of other users than the fit snapshot of
    `snapshots` holds (a table left from an earlier build) fails the build. -#}
{% macro propensity_coefficients(fit_model, fit_table, snapshots, label) -%}
with

fit as (
    select
        feature,
        feature_mean,
        feature_scale,
        coefficient,
        fitted_users,
        positive_users
    from {{ fit_relation(fit_model, 'propensity', fit_table, fit_table | replace('_', ' ')) }}
),

inputs as (
    select
        count(distinct user_id) as fitted_users,
        count(distinct case when {{ label }} then user_id end) as positive_users
    from {{ ref(snapshots) }}
    where purpose = 'fit' and not is_validation
)

select
    cast(fit.feature as {{ dbt.type_string() }}) as feature,
    cast(fit.feature_mean as {{ type_double() }}) as feature_mean,
    cast(fit.feature_scale as {{ type_double() }}) as feature_scale,
    cast(fit.coefficient as {{ type_double() }}) as coefficient,
    cast(
        case
            when fit.fitted_users = inputs.fitted_users and fit.positive_users = inputs.positive_users
                then fit.fitted_users
            else cast({{ raise_in_sql(
                "the " ~ fit_table ~ " fit is not of the users " ~ snapshots ~ " holds in this build: "
                ~ "fit again (uw build --target <engine>)") }} as bigint)
        end as bigint
    ) as fitted_users,
    cast(fit.positive_users as bigint) as positive_users
from fit
cross join inputs
{%- endmacro %}

{#- The probability `probability` of every user of both snapshots of
    `snapshots`: 1 / (1 + e^-z), z = the intercept + the sum of coefficient ×
    (feature_value - feature_mean) / feature_scale, as scikit-learn's
    predict_proba computes it. Each term is summed as an exact decimal, so the
    order the rows arrive in cannot change a bit; z is held within ±700
    (e^710 overflows a double), which moves no probability by 1e-300. With
    `contributions`, each feature's term too (for the reasons in words). -#}
{% macro propensity_scores(coefficients, snapshots, label, probability) -%}
with

coefficients as (
    select * from {{ ref(coefficients) }}
),

intercept as (
    select coefficient
    from coefficients
    where feature = '(intercept)'
),

linear as (
    select
        snapshots.purpose,
        snapshots.user_id,
        snapshots.{{ label }},
        snapshots.is_validation,
        sum(
            cast(
                coefficients.coefficient * (snapshots.feature_value - coefficients.feature_mean)
                / coefficients.feature_scale as decimal(38, 18)
            )
        ) as feature_sum
    from {{ ref(snapshots) }} as snapshots
    inner join coefficients on snapshots.feature = coefficients.feature
    group by snapshots.purpose, snapshots.user_id, snapshots.{{ label }}, snapshots.is_validation
),

bounded as (
    select
        linear.purpose,
        linear.user_id,
        linear.{{ label }},
        linear.is_validation,
        least(greatest(cast(linear.feature_sum as {{ type_double() }}) + intercept.coefficient, -700), 700) as z
    from linear
    cross join intercept
)

select
    purpose,
    user_id,
    {{ label }},
    is_validation,
    1 / (1 + exp(-1 * z)) as {{ probability }}
from bounded
{%- endmacro %}

{#- How well `probability` ranks `label` on the users of the fit snapshot kept
    out of the fit, one row, beside the feature `baseline` alone. -#}
{% macro propensity_quality(scores, snapshots, coefficients, label, probability, baseline, horizon_var) -%}
with

validation as (
    select
        scores.user_id,
        scores.{{ label }} as label,
        scores.{{ probability }} as probability,
        baseline.feature_value as baseline
    from {{ ref(scores) }} as scores
    inner join {{ ref(snapshots) }} as baseline
        on
            scores.user_id = baseline.user_id
            and baseline.purpose = 'fit'
            and baseline.feature = '{{ baseline }}'
    where scores.purpose = 'fit' and scores.is_validation
),

model_auc as (
    {{ roc_auc('validation', 'probability', 'label') }}
),

baseline_auc as (
    {{ roc_auc('validation', 'baseline', 'label') }}
),

counts as (
    select
        count(*) as validation_users,
        -- a share of counts in doubles: Spark's decimal average keeps 5 places only
        cast(count(case when label then 1 end) as {{ type_double() }}) / count(*) as validation_rate
    from validation
),

fit as (
    select
        max(fitted_users) as fitted_users,
        max(positive_users) as positive_users
    from {{ ref(coefficients) }}
)

select
    cast(fit.fitted_users as bigint) as fitted_users,
    cast(fit.positive_users as bigint) as positive_fitted_users,
    cast(counts.validation_users as bigint) as validation_users,
    cast(counts.validation_rate as {{ type_double() }}) as validation_rate,
    cast(model_auc.auc as {{ type_double() }}) as auc,
    cast(baseline_auc.auc as {{ type_double() }}) as baseline_auc,
    cast({{ var(horizon_var) }} as integer) as horizon_days,
    as_of.as_of_date
from fit
cross join counts
cross join model_auc
cross join baseline_auc
cross join {{ ref('int_as_of_date') }} as as_of
{%- endmacro %}

{#- Predicted against observed `label` by decile of `probability` on the users
    of the fit snapshot kept out of the fit; decile 1 holds the lowest. -#}
{% macro propensity_calibration(scores, label, probability) -%}
with

validation as (
    select
        user_id,
        {{ label }} as label,
        {{ probability }} as probability,
        ntile(10) over (order by {{ round_double(probability, 12) }}, user_id) as decile
    from {{ ref(scores) }}
    where purpose = 'fit' and is_validation and {{ probability }} is not null
)

select
    cast(decile as integer) as decile,
    cast(count(*) as bigint) as users,
    -- averaged as exact decimals: the same bits whatever order the rows arrive in
    cast(avg(cast(probability as decimal(38, 18))) as {{ type_double() }}) as mean_probability,
    cast(count(case when label then 1 end) as {{ type_double() }}) / count(*) as observed_rate
from validation
group by decile
{%- endmacro %}

{#- The two snapshot days of a propensity model: fit, as_of_date minus the
    horizon (var `horizon_var`), and score, as_of_date; columns purpose and
    snapshot_date. -#}
{% macro propensity_snapshot_days(horizon_var) -%}
    select
        'fit' as purpose,
        {{ dbt.dateadd('day', -1 * var(horizon_var), 'as_of_date') }} as snapshot_date
    from {{ ref('int_as_of_date') }}
    union all
    select
        'score' as purpose,
        as_of_date as snapshot_date
    from {{ ref('int_as_of_date') }}
{%- endmacro %}

{#- One row per user and feature of `relation` (a CTE with purpose, user_id,
    the feature columns, `label` and is_validation): the feature's name, its
    value, and ln(1 + value), which the models read. -#}
{% macro propensity_feature_rows(relation, features, label) -%}
    {%- for feature in features %}
    select
        purpose,
        user_id,
        '{{ feature }}' as feature,
        cast({{ feature }} as {{ type_double() }}) as raw_value,
        -- rounded: engines' ln differ in the last bit, and the fit should not
        {{ round_double('ln(1 + cast(' ~ feature ~ ' as ' ~ type_double() ~ '))', 12) }} as feature_value,
        {{ label }},
        is_validation
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
