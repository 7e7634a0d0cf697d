{#- Stop the run at once, with a message saying what is wrong and what is
    allowed, when a var that steers the build is set wrong. Runs on-run-start
    and again wherever raw data is resolved. -#}
{% macro check_settings() -%}
    {%- set mode = var('raw_source') -%}
    {%- set allowed = ['seeds', 'files', 'warehouse'] -%}
    {%- if mode not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "var raw_source is '" ~ mode ~ "'; allowed values: " ~ allowed | join(', ')) }}
    {%- endif -%}
    {%- set as_of = var('as_of_date') -%}
    {%- if as_of is not none and not modules.re.match('^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', as_of | string) -%}
        {{ exceptions.raise_compiler_error(
            "var as_of_date is '" ~ as_of ~ "'; it must be a date written YYYY-MM-DD, or null for the latest date in the data") }}
    {%- endif -%}
    {%- if mode == 'files' and execute -%}
        {%- set folder = var('raw_path') | string -%}
        {%- set found = run_query("select file from glob('" ~ folder ~ "/raw_users.*')").columns[0].values() -%}
        {%- if found | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "var raw_path is '" ~ folder ~ "', which does not exist or holds no raw_users.parquet / raw_users.csv; "
                ~ "raw_source files needs a folder with raw_users and at least one of raw_events and raw_orders") }}
        {%- endif -%}
    {%- endif -%}
    select 1 as settings_checked
{%- endmacro %}
