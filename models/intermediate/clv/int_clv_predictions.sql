-- Predicted value per buyer from int_clv_parameters, h = var prediction_horizon_days
-- (formulas in docs/predicted-value.md): P(alive) and the expected purchase days
-- of BG/NBD (Fader, Hardie & Lee 2005, equations 11 and 10), finite for every
-- a > 0, a = 1 read off the line through 1 ± 1e-4 (#every-a--0); the Gamma-Gamma
-- mean, null where p x + q <= 1; their product. Powers are taken in logs
-- (exp(710) overflows a double); sums over rows are exact decimals.
with

parameters as (
    select
        bgnbd_r as r,
        bgnbd_alpha as alpha,
        bgnbd_a as a,
        bgnbd_b as b,
        gamma_gamma_p as p,
        gamma_gamma_q as q,
        gamma_gamma_gamma as v,
        cast({{ var('prediction_horizon_days') }} as {{ type_double() }}) as h
    from {{ ref('int_clv_parameters') }}
),

buyers as (
    select
        user_id,
        frequency,
        recency,
        t,
        monetary_value
    from {{ ref('int_clv_buyers') }}
),

-- a itself (weight 1), or near 1 the points 1 ± 1e-4 weighted to the line at a
a_points as (
    select
        a as a_point,
        cast(1 as {{ type_double() }}) as weight
    from parameters
    where abs(a - 1) >= 1e-4
    union all
    select
        cast(1 - 1e-4 as {{ type_double() }}) as a_point,
        (1 + 1e-4 - a) / 2e-4 as weight
    from parameters
    where abs(a - 1) < 1e-4
    union all
    select
        cast(1 + 1e-4 as {{ type_double() }}) as a_point,
        (a - 1 + 1e-4) / 2e-4 as weight
    from parameters
    where abs(a - 1) < 1e-4
),

-- 2F1(r + x, b + x; a + b + x − 1; z) as its power series, once per (x, T, a), to
-- the term bound of docs/predicted-value.md; where a + b + x − 1 <= 0 (x = 0
-- and a + b <= 1) a ratio would be negative: not summed, expectation null.
series_pairs as (
    select distinct
        frequency,
        t
    from buyers
),

series_terms as (
    select
        pairs.frequency,
        pairs.t,
        a_points.a_point,
        series.n,
        ln(
            (parameters.r + pairs.frequency + series.n)
            * (parameters.b + pairs.frequency + series.n)
            / ((a_points.a_point + parameters.b + pairs.frequency - 1 + series.n) * (series.n + 1))
            * parameters.h / (parameters.alpha + pairs.t + parameters.h)
        ) as log_ratio
    from series_pairs as pairs
    cross join parameters
    cross join a_points
    cross join
        {{ integer_series('0', 'ceil((2 * greatest(parameters.r + pairs.frequency - a_points.a_point, 0) + 45)'
            ~ ' / ln((parameters.alpha + pairs.t + parameters.h) / parameters.h)) + 10') }}
    where a_points.a_point + parameters.b + pairs.frequency - 1 > 0
),

series_log_terms as (
    select
        frequency,
        t,
        a_point,
        -- a running sum of logs, as decimals: exact, whatever order the engine adds them in
        cast(coalesce(sum(cast(log_ratio as decimal(38, 18))) over (
            partition by frequency, t, a_point order by n rows between unbounded preceding and 1 preceding
        ), 0) as {{ type_double() }}) as log_term
    from series_terms
),

series_log_sums as (
    select
        frequency,
        t,
        a_point,
        max(log_term) as log_peak
    from series_log_terms
    group by frequency, t, a_point
),

hypergeometric as (
    select
        terms.frequency,
        terms.t,
        terms.a_point,
        -- exact decimals: each term is at most 1 (the peak); 30 places is far below a double's precision
        sums.log_peak + ln(cast(
            sum(cast(exp(terms.log_term - sums.log_peak) as decimal(38, 30))) as {{ type_double() }}
        )) as log_value
    from series_log_terms as terms
    inner join series_log_sums as sums
        on terms.frequency = sums.frequency and terms.t = sums.t and terms.a_point = sums.a_point
    where terms.log_term - sums.log_peak > -700
    group by terms.frequency, terms.t, terms.a_point, sums.log_peak
),

alive as (
    select
        buyers.user_id,
        buyers.frequency,
        buyers.recency,
        buyers.t,
        buyers.monetary_value,
        -- null when x = 0: no repeat purchase, so no dropout yet (P(alive) 1)
        case
            when buyers.frequency > 0
                then
                    ln(parameters.a) - ln(parameters.b + buyers.frequency - 1)
                    + (parameters.r + buyers.frequency)
                    * ln((parameters.alpha + buyers.t) / (parameters.alpha + buyers.recency))
        end as log_odds_dropped_out
    from buyers
    cross join parameters
),

-- per buyer: the weighted sum over the (one or two) a points
expected_if_alive as (
    select
        alive.user_id,
        sum(
            a_points.weight
            * (a_points.a_point + parameters.b + alive.frequency - 1) / (a_points.a_point - 1)
            * (1 - exp(
                (parameters.r + alive.frequency)
                * ln((parameters.alpha + alive.t) / (parameters.alpha + alive.t + parameters.h))
                + hypergeometric.log_value
            ))
        ) as expected_purchases_if_alive
    from alive
    cross join parameters
    cross join a_points
    inner join hypergeometric
        on
            alive.frequency = hypergeometric.frequency
            and alive.t = hypergeometric.t
            and a_points.a_point = hypergeometric.a_point
    group by alive.user_id
),

predictions as (
    select
        alive.user_id,
        alive.frequency,
        alive.recency,
        alive.t,
        alive.monetary_value,
        case
            when alive.frequency = 0 then 1
            when alive.log_odds_dropped_out > 700 then 0
            else 1 / (1 + exp(alive.log_odds_dropped_out))
        end as p_alive,
        expected_if_alive.expected_purchases_if_alive,
        case
            when parameters.p * alive.frequency + parameters.q > 1
                then
                    parameters.p * (parameters.v + alive.frequency * coalesce(alive.monetary_value, 0))
                    / (parameters.p * alive.frequency + parameters.q - 1)
        end as expected_order_value
    from alive
    cross join parameters
    left join expected_if_alive on alive.user_id = expected_if_alive.user_id
)

select
    user_id,
    frequency,
    recency,
    t,
    monetary_value,
    p_alive,
    expected_purchases_if_alive * p_alive as expected_purchases,
    expected_order_value,
    expected_purchases_if_alive * p_alive * expected_order_value as predicted_value,
    cast({{ var('prediction_horizon_days') }} as integer) as horizon_days
from predictions
