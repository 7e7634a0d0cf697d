{#- The raw contract of SPEC §2: for each raw relation, its required and
    optional columns. One place, read by the staging layer and by the tests. -#}
{% macro raw_contract() -%}
    {{ return({
        'raw_users': {
            'required': ['user_id', 'registered_at'],
            'optional': ['channel', 'gender', 'birth_date', 'city', 'email', 'phone', 'inviter_user_id'],
        },
        'raw_events': {
            'required': ['event_id', 'event_time', 'anonymous_id', 'event_type'],
            'optional': ['user_id', 'page_url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign',
                         'device_type', 'platform', 'search_term', 'product_id', 'category'],
        },
        'raw_orders': {
            'required': ['order_id', 'user_id', 'ordered_at', 'status', 'amount'],
            'optional': ['discount_amount', 'currency', 'channel'],
        },
        'raw_order_items': {
            'required': ['order_id', 'product_id', 'quantity', 'unit_price'],
            'optional': ['category'],
        },
        'raw_feedback': {
            'required': ['feedback_id', 'user_id', 'submitted_at'],
            'optional': ['rating', 'nps', 'feedback_type'],
        },
    }) }}
{%- endmacro %}

{#- Every reason a staging model may reject a raw row for (SPEC §2). -#}
{% macro reject_reasons() -%}
    {{ return([
        'null_key', 'duplicate_key', 'null_event_type', 'null_timestamp', 'unparseable_timestamp',
        'future_timestamp', 'unparseable_amount', 'negative_amount', 'invalid_quantity',
        'unknown_status', 'invalid_rating', 'invalid_nps', 'orphan_foreign_key',
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
    cast(json_object(
        {%- for column in contract.required + contract.optional %}
        '{{ column }}', raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}
