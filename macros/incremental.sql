{#- Incremental models (docs/performance.md): each keeps, on every row, the
    run that wrote it (loaded_at) and a fingerprint of the vars its rows
    depend on, so that a later run can find what changed upstream and refuse
    to mix rows built under other settings. -#}

{#- The current run's time, stamped on the rows an incremental model writes. -#}
{% macro loaded_at() -%}
    {{ run_started_at_utc() }}
{%- endmacro %}

{#- A text fingerprint of the named vars' current values. -#}
{% macro settings_fingerprint(var_names) -%}
    {%- set values = {} -%}
    {%- for name in var_names -%}
        {%- do values.update({name: var(name)}) -%}
    {%- endfor -%}
    {{ sql_values([local_md5(tojson(values, sort_keys=true))]) }}
{%- endmacro %}

{#- Pre-hook of an incremental model: stop the run, naming the model and the
    vars, when its stored rows were built with other values of those vars
    (they would be mixed with rows built now); --full-refresh rebuilds it. -#}
{% macro assert_same_settings(var_names) -%}
    {%- if is_incremental() -%}
    select {{ raise_in_sql_expression(sql_values([
        this.identifier ~ " was built with other values of " ~ var_names | join(', ')
        ~ " than this run's: run dbt build --full-refresh to rebuild it (docs/performance.md); stored settings "
    ]) ~ " || settings_fingerprint") }}
    from {{ this }}
    where settings_fingerprint <> {{ settings_fingerprint(var_names) }}
    limit 1
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- The devices (anonymous_id) with an event that staging (base_events_typed)
    wrote since this model's last run: the ones an incremental run of a
    per-device model (int_device_events, int_device_sessions) rebuilds. -#}
{% macro changed_devices() -%}
    select distinct anonymous_id
    from {{ ref('base_events_typed') }}
    where
        anonymous_id is not null
        and loaded_at > (select coalesce(max(loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
{%- endmacro %}

{#- Pre-hook of a per-device incremental model: remove the changed devices'
    rows first, so that a device left with no staged event (all its events
    rejected since) disappears too; delete+insert then writes the others. -#}
{% macro delete_changed_devices() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where anonymous_id in ({{ changed_devices() }})
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
