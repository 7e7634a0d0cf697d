-- The fitted predicted-value models (docs/predicted-value.md), one row (int_clv_parameters:
-- the dbt Python model int_clv_fit on DuckDB, uw fit
-- on PostgreSQL and Spark).
select
    cast(bgnbd_r as {{ type_double() }}) as bgnbd_r,
    cast(bgnbd_alpha as {{ type_double() }}) as bgnbd_alpha,
    cast(bgnbd_a as {{ type_double() }}) as bgnbd_a,
    cast(bgnbd_b as {{ type_double() }}) as bgnbd_b,
    cast(bgnbd_log_likelihood as {{ type_double() }}) as bgnbd_log_likelihood,
    cast(buyers as bigint) as buyers,
    cast(gamma_gamma_p as {{ type_double() }}) as gamma_gamma_p,
    cast(gamma_gamma_q as {{ type_double() }}) as gamma_gamma_q,
    cast(gamma_gamma_gamma as {{ type_double() }}) as gamma_gamma_gamma,
    cast(gamma_gamma_log_likelihood as {{ type_double() }}) as gamma_gamma_log_likelihood,
    cast(repeat_buyers as bigint) as repeat_buyers
from {{ ref('int_clv_parameters') }}
