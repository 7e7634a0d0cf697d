{#- What an engine can and cannot do here, and the schema names that follow.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- How the incremental models write a run's rows: delete+insert on their key,
    except on Spark, where delete and merge need Delta or Iceberg: there a run
    overwrites the storage buckets it touches (insert_overwrite, dynamic
    partition overwrite on Parquet), keeping their other rows (rows_to_store). -#}
{% macro incremental_strategy() -%}
    {{ return(adapter.dispatch('incremental_strategy')()) }}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- The partition columns of the incremental models' tables: none, except on
    Spark, where the bucket column is what a run overwrites. -#}
{% macro storage_partitions() -%}
    {{ return(adapter.dispatch('storage_partitions')()) }}
{%- endmacro %}

{% macro default__storage_partitions() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__storage_partitions() -%}
    {{ return(['storage_bucket']) }}
{%- endmacro %}

{#- What this engine leaves out, said at every run (on-run-start) rather
    than hidden. -#}
{% macro engine_limits() -%}
    {{ return(adapter.dispatch('engine_limits')()) }}
{%- endmacro %}

{% macro default__engine_limits() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__engine_limits() -%}
    {{ return("Spark without Delta or Iceberg: snapshot user_tags_snapshot and marts user_tag_changes and tag_history_builds are not built"
        ~ " (they need merge; docs/engines.md)") }}
{%- endmacro %}

{#- The schema dbt builds a folder's models into. On PostgreSQL, where BI
    tools share the database, the marts are built into marts_build and
    `uw publish` swaps a copy in as marts when the build passed whole. -#}
{% macro build_schema(name) -%}
    {{ return(adapter.dispatch('build_schema')(name)) }}
{%- endmacro %}

{% macro default__build_schema(name) -%}
    {{ return(name) }}
{%- endmacro %}

{% macro postgres__build_schema(name) -%}
    {{ return('marts_build' if name == 'marts' else name) }}
{%- endmacro %}

{#- Whether the engine can merge into a table, which the tag snapshot and
    the marts read from it need (Spark cannot without Delta or Iceberg). -#}
{% macro can_merge() -%}
    {{ return(adapter.dispatch('can_merge')()) }}
{%- endmacro %}

{% macro default__can_merge() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__can_merge() -%}
    {{ return(false) }}
{%- endmacro %}
