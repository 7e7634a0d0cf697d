{#- Resolve a raw relation by the var raw_source (docs/raw-contract.md):
      seeds     -> the demo seed of that name (ref, so dbt orders the build)
      files     -> read_parquet / read_csv of the one file (or folder of parts)
                   found for it in var raw_path (raw_files)
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

{#- Where a raw relation was read from, in words, for the data-quality marts. -#}
{% macro raw_relation_origin(name) -%}
    {%- set mode = var('raw_source') -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- if mode == 'seeds' -%}
        {{ return('demo seed ' ~ name) }}
    {%- elif mode == 'warehouse' -%}
        {%- set found = raw_relation(name) -%}
        {{ return(('table ' ~ found) if found is not none else 'absent') }}
    {%- else -%}
        {%- set found = raw_files()[name] -%}
        {{ return(found.path if found else 'absent') }}
    {%- endif -%}
{%- endmacro %}

{#- with_filename adds the file each row came from (column filename), for
    reading only some files; it is not a raw column. -#}
{% macro raw_file_reader(name, with_filename=false) -%}
    {%- if not execute -%}{{ return('(select 1)') }}{%- endif -%}
    {%- set found = raw_files()[name] -%}
    {%- if not found -%}{{ return(none) }}{%- endif -%}
    {%- set pattern = sql_values([found.pattern]) -%}
    {%- if found.format == 'parquet' -%}
        {{ return("read_parquet(" ~ pattern ~ ", union_by_name = true" ~ (", filename = true" if with_filename) ~ ")") }}
    {%- else -%}
        {#- Every column as text: staging parses and rejects, so nothing is guessed here. -#}
        {{ return("read_csv(" ~ pattern ~ ", header = true, all_varchar = true, union_by_name = true"
            ~ (", filename = true" if with_filename) ~ ")") }}
    {%- endif -%}
{%- endmacro %}

{#- A path as a DuckDB glob pattern that matches only itself: each glob
    character is put in a class of its own ([[], []], [*], ...). -#}
{% macro glob_literal(path) -%}
    {%- set out = [] -%}
    {%- for character in path -%}
        {%- do out.append('[' ~ character ~ ']' if character in '[]*?{}' else character) -%}
    {%- endfor -%}
    {{ return(out | join('')) }}
{%- endmacro %}

{#- The raw files in var raw_path (docs/raw-contract.md): for each relation of the raw
    contract, none or {path, pattern, format}. A relation is found by its
    name, case insensitive, as <name>.parquet, .csv or .csv.gz, or as a
    folder <name>/ of such parts. Two candidates for one relation, a file
    whose name starts like a relation's (raw_...) but matches none, an empty
    file or a folder of mixed parts stop the run with a message naming them. -#}
{% macro raw_files() -%}
    {%- set folder = (var('raw_path') | string).rstrip('/') -%}
    {%- set escaped = glob_literal(folder) -%}
    {%- set listed = run_query(
        "select file from glob(" ~ sql_values([escaped ~ '/*']) ~ ") union all "
        ~ "select file from glob(" ~ sql_values([escaped ~ '/*/*']) ~ ") order by file"
    ).columns[0].values() -%}
    {%- set names = raw_contract().keys() | list -%}
    {%- set candidates = {} -%}
    {%- set problems = [] -%}
    {%- for file in listed -%}
        {%- set relative = file[folder | length + 1:] -%}
        {%- set parts = relative.split('/') -%}
        {%- set base = parts[-1].lower() -%}
        {%- if base.endswith('.csv.gz') -%}
            {%- set format, stem = 'csv', base[:-7] -%}
        {%- elif base.endswith('.parquet') -%}
            {%- set format, stem = 'parquet', base[:-8] -%}
        {%- elif base.endswith('.csv') -%}
            {%- set format, stem = 'csv', base[:-4] -%}
        {%- else -%}
            {%- set format, stem = none, none -%}
        {%- endif -%}
        {%- if format is not none -%}
            {%- set relation = parts[0].lower() if parts | length > 1 else stem -%}
            {%- if relation in names -%}
                {%- set entry = candidates.setdefault(relation, {}) -%}
                {%- if parts | length > 1 -%}
                    {%- set part_folder = folder ~ '/' ~ parts[0] -%}
                    {%- set previous = entry.get(part_folder) -%}
                    {%- if previous and previous.format != format -%}
                        {%- do problems.append("folder " ~ part_folder ~ " mixes Parquet and CSV parts") -%}
                    {%- endif -%}
                    {%- do entry.update({part_folder: {
                        'path': part_folder ~ '/', 'format': format,
                        'pattern': glob_literal(part_folder) ~ '/*' ~ ('.parquet' if format == 'parquet' else '.csv*')}}) -%}
                {%- else -%}
                    {%- do entry.update({file: {'path': file, 'format': format, 'pattern': glob_literal(file)}}) -%}
                {%- endif -%}
            {%- elif relation.startswith('raw_') and parts | length == 1 -%}
                {%- do problems.append("file " ~ file ~ " looks like raw data but matches no relation (expected "
                    ~ names | join(', ') ~ ")") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set chosen = {} -%}
    {%- for name in names -%}
        {%- set entry = candidates.get(name, {}) -%}
        {%- if entry | length > 1 -%}
            {%- do problems.append("relation " ~ name ~ " has " ~ entry | length ~ " candidates: "
                ~ entry.keys() | list | sort | join(', ') ~ "; keep one") -%}
        {%- elif entry | length == 1 -%}
            {%- set found = entry.values() | list | first -%}
            {%- if not found.path.endswith('/') -%}
                {%- set size = run_query("select size from read_blob(" ~ sql_values([found.pattern]) ~ ")").columns[0].values()[0] -%}
                {%- if size == 0 -%}
                    {%- do problems.append("file " ~ found.path ~ " is empty (0 bytes)") -%}
                {%- endif -%}
            {%- endif -%}
            {%- do chosen.update({name: found}) -%}
        {%- else -%}
            {%- do chosen.update({name: none}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("raw_path " ~ folder ~ ":\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {{ return(chosen) }}
{%- endmacro %}
