{#- Resolve a raw relation by the var raw_source (SPEC §2):
      seeds     -> the demo seed of that name (ref, so dbt orders the build)
      files     -> read_parquet / read_csv of <raw_path>/<name>.parquet|.csv
      warehouse -> source('raw', name), the table in schema var('raw_schema')
    Returns none when an optional relation is absent (files or warehouse). -#}
{% macro raw_relation(name) -%}
    {%- set mode = var('raw_source') -%}
    {%- if mode == 'seeds' -%}
        {{ return(ref(name)) }}
    {%- elif mode == 'warehouse' -%}
        {%- set declared = source('raw', name) -%}
        {%- if not execute -%}{{ return(declared) }}{%- endif -%}
        {{ return(adapter.get_relation(declared.database, declared.schema, declared.identifier)) }}
    {%- elif mode == 'files' -%}
        {{ return(raw_file_reader(name)) }}
    {%- else -%}
        {{ check_settings() }}
    {%- endif -%}
{%- endmacro %}

{% macro raw_file_reader(name) -%}
    {%- if not execute -%}{{ return('(select 1)') }}{%- endif -%}
    {%- set folder = var('raw_path') | string -%}
    {%- set found = run_query(
        "select file from glob('" ~ folder ~ "/" ~ name ~ ".parquet') union all "
        ~ "select file from glob('" ~ folder ~ "/" ~ name ~ ".csv') order by file desc"
    ).columns[0].values() -%}
    {%- if found | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set path = found[0] -%}
    {%- if path.endswith('.parquet') -%}
        {{ return("read_parquet('" ~ path ~ "')") }}
    {%- else -%}
        {#- Every column as text: staging parses and rejects, so nothing is guessed here. -#}
        {{ return("read_csv('" ~ path ~ "', header = true, all_varchar = true)") }}
    {%- endif -%}
{%- endmacro %}
