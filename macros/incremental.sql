{#- Incremental models (docs/performance.md): each keeps, on every row, the
    number of the run that wrote it (load_batch), the upstream batch it had
    read up to (source_batch) and a fingerprint of the vars its rows depend
    on, so that a later run can find what changed upstream and refuse to mix
    rows built under other settings. Run numbers, not the clock: the same
    input gives the same tables whatever day it runs (docs/time-identity-money.md#time). -#}

{#- The vars the per-device models' rows depend on (int_device_events,
    int_device_sessions): named once, for both. -#}
{% macro sessionization_vars() -%}
    {{ return(['session_timeout_minutes', 'reporting_timezone', 'as_of_date']) }}
{%- endmacro %}

{#- The number of this run of an incremental model, stamped on the rows it
    writes: one more than the stored table's latest, 1 on a first build. A
    --full-refresh keeps counting too (read before the old table is
    replaced), so the models downstream see every row as new. -#}
{% macro load_batch() -%}
    {#- in a unit test, this is none (a first build) or the given rows' name -#}
    {%- if this is string -%}
    (select coalesce(max(load_batch), 0) + 1 from {{ this }})
    {%- else -%}
    {%- set stored = adapter.get_relation(this.database, this.schema, this.identifier)
        if execute and this is not none else none -%}
    {%- if stored is not none
        and 'load_batch' in adapter.get_columns_in_relation(stored) | map(attribute='name') | map('lower') | list -%}
    {%- if should_full_refresh() -%}
    {#- read while compiling: without Delta, dbt-spark drops the stored table before it builds the new one -#}
    cast({{ run_query("select coalesce(max(load_batch), 0) + 1 from " ~ stored).columns[0].values()[0] }} as bigint)
    {%- else -%}
    (select coalesce(max(load_batch), 0) + 1 from {{ stored }})
    {%- endif -%}
    {%- else -%}
    cast(1 as bigint)
    {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The latest batch of an upstream incremental model, stamped on the rows
    this run writes as source_batch: the next run reads the upstream rows
    with a later batch. -#}
{% macro source_batch(upstream) -%}
    (select coalesce(max(load_batch), 0) from {{ upstream }})
{%- endmacro %}

{#- True for the rows of an upstream incremental model written since this
    model last read it. -#}
{% macro loaded_since_last_run() -%}
    load_batch > (select coalesce(max(source_batch), 0) from {{ this }})
{%- endmacro %}

{#- A text fingerprint of the named vars' current values. -#}
{% macro settings_fingerprint(var_names) -%}
    {%- set values = {} -%}
    {%- for name in var_names -%}
        {%- do values.update({name: var(name)}) -%}
    {%- endfor -%}
    {{ sql_values([local_md5(tojson(values, sort_keys=true))]) }}
{%- endmacro %}

{#- An incremental run stops, asking for one --full-refresh, when the stored
    table was built by an earlier version of its model, without the named
    columns. -#}
{% macro require_stored_columns(columns, doc='docs/performance.md#daily-incremental-runs') -%}
    {%- if execute and is_incremental() and this is not string -%}
        {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- for column in columns if column not in stored_columns -%}
            {{ exceptions.raise_compiler_error(this.identifier ~ " was built by an earlier version (no column "
                ~ column ~ "): run dbt build --full-refresh once (" ~ doc ~ ")") }}
        {%- endfor -%}
    {%- endif -%}
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
            {{ loaded_since_last_run() }}
            or exists (
                select 1 from {{ this }} where settings_fingerprint <> {{ settings_fingerprint(var_names) }}
            )
        )
{%- endmacro %}

{#- Pre-hook of a per-device incremental model: remove the changed devices'
    rows first, so that a device left with no staged event (all its events
    rejected since) disappears too; delete+insert then writes the others. -#}
{% macro delete_changed_devices(var_names) -%}
    {%- if is_incremental() and incremental_strategy() == 'delete+insert' -%}
    delete from {{ this }}
    where anonymous_id in ({{ changed_devices(var_names) }})
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
