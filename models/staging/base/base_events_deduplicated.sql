{{ config(
    materialized='incremental',
    incremental_strategy=incremental_strategy(),
    partition_by=storage_partitions(),
    unique_key='raw_row_id',
    post_hook="{{ record_raw_files('raw_events') }}"
) }}
-- raw_events as the raw contract's columns, as text, exact duplicates folded.
{{ deduplicated_raw('raw_events', incremental=true) }}
