{#- The raw contract of docs/raw-contract.md: for each raw relation, its required and
    optional columns, and what dates its rows (time: a column of its own; or
    time_from: the relation and key whose time it takes, for order lines).
    One place, read by the staging layer and by the tests. -#}
{% macro raw_contract() -%}
    {{ return({
        'raw_users': {
            'required': ['user_id', 'registered_at'],
            'optional': ['channel', 'gender', 'birth_date', 'city', 'email', 'phone', 'inviter_user_id'],
            'time': 'registered_at',
        },
        'raw_events': {
            'required': ['event_id', 'event_time', 'anonymous_id', 'event_type'],
            'optional': ['user_id', 'page_url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign',
                         'device_type', 'platform', 'search_term', 'product_id', 'category'],
            'time': 'event_time',
        },
        'raw_orders': {
            'required': ['order_id', 'user_id', 'ordered_at', 'status', 'amount'],
            'optional': ['discount_amount', 'currency', 'channel'],
            'time': 'ordered_at',
        },
        'raw_order_items': {
            'required': ['order_id', 'product_id', 'quantity', 'unit_price'],
            'optional': ['line_no', 'category'],
            'time_from': {'relation': 'raw_orders', 'key': 'order_id'},
        },
        'raw_feedback': {
            'required': ['feedback_id', 'user_id', 'submitted_at'],
            'optional': ['rating', 'nps', 'feedback_type'],
            'time': 'submitted_at',
        },
    }) }}
{%- endmacro %}

{#- Every reason a staging model may reject a raw row for (docs/raw-contract.md). -#}
{% macro reject_reasons() -%}
    {{ return([
        'null_key', 'duplicate_key', 'null_event_type', 'null_timestamp', 'unparseable_timestamp',
        'future_timestamp', 'unparseable_amount', 'negative_amount', 'invalid_quantity',
        'unknown_status', 'invalid_rating', 'invalid_nps', 'orphan_foreign_key',
        'parent_rejected', 'outlier_timestamp', 'unknown_currency', 'ambiguous_timezone',
    ]) }}
{%- endmacro %}

{#- The raw text of every contract column of a relation, carried beside the
    typed columns as raw_<column> so that a rejected row can be shown as it
    arrived. A name in a select list means the input column, not an alias
    given in the same list, so these are the raw values. -#}
{% macro raw_text_columns(name) -%}
    {%- set contract = raw_contract()[name] -%}
    {%- for column in contract.required + contract.optional -%}
        {{ column }} as raw_{{ column }}{{ ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The row as it arrived, as JSON text, from the raw_<column> columns. -#}
{% macro raw_record_json(name) -%}
    {%- set contract = raw_contract()[name] -%}
    {%- set pairs = [] -%}
    {%- for column in contract.required + contract.optional -%}
        {%- do pairs.append("'" ~ column ~ "', raw_" ~ column) -%}
    {%- endfor -%}
    {{ json_object_text(pairs) }}
{%- endmacro %}

{#- The keys of a parent relation as they arrived in raw (base_<parent>_typed),
    each with whether any of its rows was staged, so that a child can tell a
    missing parent from a rejected one (docs/raw-contract.md). -#}
{% macro parent_keys(base_model, key_column) -%}
    select
        {{ key_column }} as parent_key,
        {{ dbt.bool_or('reject_reason is null') }} as is_staged
    from {{ ref(base_model) }}
    where {{ key_column }} is not null
    group by {{ key_column }}
{%- endmacro %}

{#- A child's foreign key checked against parent_keys joined as `parents`:
    absent from raw -> orphan_foreign_key; in raw but rejected ->
    parent_rejected. optional: a null key is no reference at all. -#}
{% macro foreign_key_reject_reason(key_column, parents, optional=false) -%}
    when {{ "%s is not null and " % key_column if optional }}{{ parents }}.parent_key is null then 'orphan_foreign_key'
    when {{ "%s is not null and " % key_column if optional }}not {{ parents }}.is_staged then 'parent_rejected'
{%- endmacro %}

{#- A child's foreign key against parent_keys joined as `parents`: null
    (no reference), missing (absent from raw), rejected or staged. Stored by
    incremental models so that a later run finds the rows whose parent
    changed. -#}
{% macro parent_state(key_column, parents) -%}
    case
        when {{ key_column }} is null then null
        when {{ parents }}.parent_key is null then 'missing'
        when {{ parents }}.is_staged then 'staged'
        else 'rejected'
    end
{%- endmacro %}

