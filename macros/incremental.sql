{#- Incremental models (docs/performance.md): each keeps, on every row, the
    run that wrote it (loaded_at) and a fingerprint of the vars its rows
    depend on, so that a later run can find what changed upstream and refuse
    to mix rows built under other settings. -#}

{#- The vars the per-device models' rows depend on (int_device_events,
    int_device_sessions): named once, for both. -#}
{% macro sessionization_vars() -%}
    {{ return(['session_timeout_minutes', 'reporting_timezone', 'as_of_date']) }}
{%- endmacro %}

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
    (they would be mixed with the rows of this run); --full-refresh rebuilds it. -#}
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

{#- The devices (anonymous_id) that a per-device incremental model
    (int_device_events, int_device_sessions) rebuilds: those with an event
    that staging (base_events_typed) wrote since the model's last run, or
    every device when the model's rows were built with other values of the
    vars they depend on (a session timeout, a zone, an explicit as_of_date):
    then the run rebuilds the model whole instead of mixing rows. -#}
{% macro changed_devices(var_names) -%}
    select distinct anonymous_id
    from {{ ref('base_events_typed') }}
    where
        anonymous_id is not null
        and (
            loaded_at > (select coalesce(max(loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
            or exists (
                select 1 from {{ this }} where settings_fingerprint <> {{ settings_fingerprint(var_names) }}
            )
        )
{%- endmacro %}

{#- Pre-hook of a per-device incremental model: remove the changed devices'
    rows first, so that a device left with no staged event (all its events
    rejected since) disappears too; delete+insert then writes the others. -#}
{% macro delete_changed_devices(var_names) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where anonymous_id in ({{ changed_devices(var_names) }})
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
