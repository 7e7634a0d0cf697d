-- Predicted value per buyer (docs/predicted-value.md), from int_clv_predictions.
select
    cast(user_id as {{ dbt.type_string() }}) as user_id,
    cast(frequency as bigint) as frequency,
    cast(recency as bigint) as recency,
    cast(t as bigint) as t,
    cast(monetary_value as {{ type_double() }}) as monetary_value,
    cast(p_alive as {{ type_double() }}) as p_alive,
    cast(expected_purchases as {{ type_double() }}) as expected_purchases,
    cast(expected_order_value as {{ type_double() }}) as expected_order_value,
    cast(predicted_value as {{ type_double() }}) as predicted_value,
    cast(horizon_days as integer) as horizon_days
from {{ ref('int_clv_predictions') }}
