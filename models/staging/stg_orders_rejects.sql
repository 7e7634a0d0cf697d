-- Rows of raw_orders that staging could not use, each with its reason and
-- the row as it arrived (JSON text). Exact duplicates are not here: they are
-- folded, and counted in duplicates_removed.
select
    raw_row_id as reject_id,
    reject_reason,
    duplicates_removed,
    raw_record
from {{ ref('base_orders_typed') }}
where reject_reason is not null
