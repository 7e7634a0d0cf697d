-- The fitted predicted-value models (docs/predicted-value.md), one row, from where this
-- engine fits them (macro fit_relation). A fit made on other inputs than
-- int_clv_buyers holds in this build (on PostgreSQL or Spark: a table left
-- from an earlier build) fails the build instead of predicting from stale
-- parameters.
with

fit as (
    select
        bgnbd_r,
        bgnbd_alpha,
        bgnbd_a,
        bgnbd_b,
        bgnbd_log_likelihood,
        buyers,
        gamma_gamma_p,
        gamma_gamma_q,
        gamma_gamma_gamma,
        gamma_gamma_log_likelihood,
        repeat_buyers,
        frequency_sum,
        recency_sum,
        t_sum
    from {{ fit_relation('int_clv_fit', 'predicted_value', 'clv_fit', 'predicted-value fit') }}
),

inputs as (
    select
        count(*) as buyers,
        coalesce(sum(frequency), 0) as frequency_sum,
        coalesce(sum(recency), 0) as recency_sum,
        coalesce(sum(t), 0) as t_sum
    from {{ ref('int_clv_buyers') }}
)

select
    cast(fit.bgnbd_r as {{ type_double() }}) as bgnbd_r,
    cast(fit.bgnbd_alpha as {{ type_double() }}) as bgnbd_alpha,
    cast(fit.bgnbd_a as {{ type_double() }}) as bgnbd_a,
    cast(fit.bgnbd_b as {{ type_double() }}) as bgnbd_b,
    cast(fit.bgnbd_log_likelihood as {{ type_double() }}) as bgnbd_log_likelihood,
    cast(
        case
            when
                fit.buyers = inputs.buyers
                and fit.frequency_sum = inputs.frequency_sum
                and fit.recency_sum = inputs.recency_sum
                and fit.t_sum = inputs.t_sum
                then fit.buyers
            else cast({{ raise_in_sql(
                "the predicted-value fit is not of the buyers int_clv_buyers holds in this build: "
                ~ "fit again (uw build --target <engine>)") }} as bigint)
        end as bigint
    ) as buyers,
    cast(fit.gamma_gamma_p as {{ type_double() }}) as gamma_gamma_p,
    cast(fit.gamma_gamma_q as {{ type_double() }}) as gamma_gamma_q,
    cast(fit.gamma_gamma_gamma as {{ type_double() }}) as gamma_gamma_gamma,
    cast(fit.gamma_gamma_log_likelihood as {{ type_double() }}) as gamma_gamma_log_likelihood,
    cast(fit.repeat_buyers as bigint) as repeat_buyers
from fit
cross join inputs
