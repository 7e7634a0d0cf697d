-- docs/rules/user-profile.md: personal data never reaches a mart in clear. Scans every text
-- column of every relation in the marts schema and returns each value that
-- holds an email address, or (outside identifier columns, *_id) a mobile
-- phone number, alone or inside longer text. Masks (a***@x.com,
-- *******8000) and hashes pass. (Staging's free text is checked before any
-- mart is written: test no_personal_data on stg_events.)
-- depends_on: {{ ref('attribution_channel_monthly') }}
-- depends_on: {{ ref('attribution_credit') }}
-- depends_on: {{ ref('audience_members') }}
-- depends_on: {{ ref('audience_sizes') }}
-- depends_on: {{ ref('channel_summary') }}
-- depends_on: {{ ref('churn_model_calibration') }}
-- depends_on: {{ ref('churn_model_quality') }}
-- depends_on: {{ ref('clv_parameters') }}
-- depends_on: {{ ref('cohort_retention') }}
-- depends_on: {{ ref('cohort_retention_weekly') }}
-- depends_on: {{ ref('data_quality_files') }}
-- depends_on: {{ ref('data_quality_nulled_values') }}
-- depends_on: {{ ref('data_quality_rejects') }}
-- depends_on: {{ ref('data_quality_shared_devices') }}
-- depends_on: {{ ref('data_quality_staging') }}
-- depends_on: {{ ref('dim_users') }}
-- depends_on: {{ ref('event_retention_weekly') }}
-- depends_on: {{ ref('fct_events') }}
-- depends_on: {{ ref('fct_orders') }}
-- depends_on: {{ ref('fct_sessions') }}
-- depends_on: {{ ref('funnel_daily') }}
-- depends_on: {{ ref('journey_funnel') }}
-- depends_on: {{ ref('lifecycle_monthly') }}
-- depends_on: {{ ref('metrics_daily') }}
-- depends_on: {{ ref('metrics_monthly') }}
-- depends_on: {{ ref('metrics_weekly') }}
-- depends_on: {{ ref('prospect_model_calibration') }}
-- depends_on: {{ ref('prospect_model_quality') }}
-- depends_on: {{ ref('repurchase_monthly') }}
-- depends_on: {{ ref('rfm_layer_migration') }}
-- depends_on: {{ ref('rfm_layer_summary') }}
-- depends_on: {{ ref('rfm_segment_summary') }}
-- depends_on: {{ ref('search_terms_top') }}
-- depends_on: {{ ref('session_paths_top') }}
-- depends_on: {{ ref('stickiness_daily') }}
-- depends_on: {{ ref('tag_history_builds') if can_merge() }}
-- depends_on: {{ ref('tag_summary') }}
-- depends_on: {{ ref('time_spine_daily') }}
-- depends_on: {{ ref('user_churn_warning') }}
-- depends_on: {{ ref('user_journey') }}
-- depends_on: {{ ref('user_lifecycle') }}
-- depends_on: {{ ref('user_membership') }}
-- depends_on: {{ ref('user_predicted_value') }}
-- depends_on: {{ ref('user_prospects') }}
-- depends_on: {{ ref('user_recommendations') }}
-- depends_on: {{ ref('user_rfm') }}
-- depends_on: {{ ref('user_tag_changes') if can_merge() }}
-- depends_on: {{ ref('user_tags') }}
-- depends_on: {{ ref('visit_distributions') }}
{% set marts_schema = generate_schema_name('marts', none) %}
{% set columns = [] %}
{% if execute %}
{# Every mart must be listed above, so that this test runs after it. #}
{% for node in graph.nodes.values() %}
{% if node.resource_type == 'model' and node.schema == marts_schema and node.unique_id not in model.depends_on.nodes %}
{{ exceptions.raise_compiler_error("assert_no_personal_data_in_marts: add a depends_on line for " ~ node.name) }}
{% endif %}
{% endfor %}
{% if target.name != 'lint' %}
{# the text columns as each engine names the type (Spark: string) #}
{% for node in graph.nodes.values() | sort(attribute='name')
    if node.resource_type == 'model' and node.schema == marts_schema %}
{% set stored = adapter.get_relation(node.database, node.schema, node.alias) %}
{% for column in (adapter.get_columns_in_relation(stored) if stored is not none else [])
    if column.dtype | lower in ['varchar', 'text', 'character varying', 'string'] %}
{% do columns.append((stored, node.alias, column.name)) %}
{% endfor %}
{% endfor %}
{% endif %}
{% endif %}

with

suspicious_values as (
    select
        cast(null as {{ dbt.type_string() }}) as relation_column,
        cast(null as {{ dbt.type_string() }}) as suspicious_value
    where false
    {% for relation, table_name, column_name in columns %}
    union all
    select
        '{{ table_name }}.{{ column_name }}' as relation_column,
        column_value as suspicious_value
    {% if column_name.endswith(("_id", "_hash")) %}
    from (select {{ adapter.quote(column_name) }} as column_value from {{ relation }}) as column_values
    where {{ has_email('column_value') }}
    {% else %}
    {# text repeats: each distinct value is matched once #}
    from ({{ distinct_values_with_personal_data(relation, adapter.quote(column_name)) }}) as column_values
    {% endif %}
    {% endfor %}
)

select
    relation_column,
    suspicious_value
from suspicious_values
