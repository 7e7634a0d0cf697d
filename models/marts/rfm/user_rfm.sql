-- RFM layers (用户分层, docs/rules/rfm.md): one row per user with a valid order in the
-- window ending on as_of_date; see int_user_rfm_history for the formulas.
select
    user_id,
    last_order_date,
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    rfm_code,
    segment,
    segment_zh,
    rfm_level_code,
    layer,
    layer_zh,
    rfm_date as as_of_date
from {{ ref('int_user_rfm_history') }}
where rfm_snapshot = 'current'
