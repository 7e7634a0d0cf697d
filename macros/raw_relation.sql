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
    {%- set files = raw_file_list(found) -%}
    {%- if found.format == 'parquet' -%}
        {{ return("read_parquet(" ~ files ~ ", union_by_name = true" ~ (", filename = true" if with_filename) ~ ")") }}
    {%- else -%}
        {#- Every column as text: staging parses and rejects, so nothing is guessed here. -#}
        {{ return("read_csv(" ~ files ~ ", header = true, all_varchar = true, union_by_name = true"
            ~ (", filename = true" if with_filename) ~ ")") }}
    {%- endif -%}
{%- endmacro %}

{#- The files discovery chose for a relation as a DuckDB list of patterns that
    each match exactly one file: what is read is what was listed, whatever the
    case of its extension, and nothing else in the folder. -#}
{% macro raw_file_list(found) -%}
    {%- set escaped = [] -%}
    {%- for file in found.files -%}{%- do escaped.append(glob_literal(file)) -%}{%- endfor -%}
    {{ return('[' ~ sql_values(escaped) ~ ']') }}
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

{#- The raw files in var raw_path (docs/raw-contract.md): for each relation of
    the raw contract, none or {path, files, format}. -#}
{% macro raw_files() -%}
    {{ return(raw_file_discovery().chosen) }}
{%- endmacro %}

{#- What discovery found in var raw_path (docs/raw-contract.md): chosen, for
    each relation of the raw contract none or {path, files, format}; and
    skipped, the other files there ({file, reason}), which nothing reads. A
    relation is found by its name, case insensitive, as <name>.parquet, .csv or
    .csv.gz (extension in any case), or as a folder <name>/ of such parts.
    Two candidates for one relation, a file whose name starts like a
    relation's (raw_...) but matches none, an empty (0-byte) file or part or a
    folder of mixed parts stop the run with a message naming them. -#}
{% macro raw_file_discovery() -%}
    {%- set folder = (var('raw_path') | string).rstrip('/') -%}
    {%- set escaped = glob_literal(folder) -%}
    {%- set listing = run_query(
        "select filename as file, size from read_blob(" ~ sql_values([escaped ~ '/*']) ~ ") union all "
        ~ "select filename as file, size from read_blob(" ~ sql_values([escaped ~ '/*/*']) ~ ") order by file"
    ) -%}
    {%- set names = raw_contract().keys() | list -%}
    {%- set candidates = {} -%}
    {%- set problems = [] -%}
    {%- set skipped = [] -%}
    {%- set empty = [] -%}
    {%- for row in listing.rows -%}
        {%- set file = row[0] -%}
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
        {%- set relation = parts[0].lower() if parts | length > 1 else stem -%}
        {%- if format is none -%}
            {%- do skipped.append({'file': file, 'relation': relation if relation in names else none,
                'reason': 'not a .csv, .csv.gz or .parquet file'}) -%}
        {%- elif relation in names -%}
            {%- if row[1] == 0 -%}{%- do empty.append(file) -%}{%- endif -%}
            {%- set entry = candidates.setdefault(relation, {}) -%}
            {%- if parts | length > 1 -%}
                {%- set part_folder = folder ~ '/' ~ parts[0] -%}
                {%- set previous = entry.get(part_folder) -%}
                {%- if previous and previous.format != format -%}
                    {%- do problems.append("folder " ~ part_folder ~ " mixes Parquet and CSV parts") -%}
                {%- endif -%}
                {%- if previous -%}
                    {%- do previous.files.append(file) -%}
                {%- else -%}
                    {%- do entry.update({part_folder: {'path': part_folder ~ '/', 'format': format, 'files': [file]}}) -%}
                {%- endif -%}
            {%- else -%}
                {%- do entry.update({file: {'path': file, 'format': format, 'files': [file]}}) -%}
            {%- endif -%}
        {%- elif relation.startswith('raw_') and parts | length == 1 -%}
            {%- do problems.append("file " ~ file ~ " looks like raw data but matches no relation (expected "
                ~ names | join(', ') ~ ")") -%}
        {%- else -%}
            {%- do skipped.append({'file': file, 'relation': none,
                'reason': 'not named for a relation of the raw contract'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for file in empty -%}
        {%- do problems.append("file " ~ file ~ " is empty (0 bytes)") -%}
    {%- endfor -%}
    {%- set chosen = {} -%}
    {%- for name in names -%}
        {%- set entry = candidates.get(name, {}) -%}
        {%- if entry | length > 1 -%}
            {%- do problems.append("relation " ~ name ~ " has " ~ entry | length ~ " candidates: "
                ~ entry.keys() | list | sort | join(', ') ~ "; keep one") -%}
        {%- endif -%}
        {%- do chosen.update({name: (entry.values() | list | first) if entry else none}) -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("raw_path " ~ folder ~ ":\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {{ return({'chosen': chosen, 'skipped': skipped}) }}
{%- endmacro %}

{#- Every raw input a build saw, for data_quality_files: {relation, read_from,
    status, reason}; read_from is a file (each part of a folder on its own),
    a table or a seed. Files discovery did not choose are skipped, with why. -#}
{% macro raw_inputs_seen() -%}
    {%- set seen = [] -%}
    {%- if not execute -%}{{ return(seen) }}{%- endif -%}
    {%- if var('raw_source') == 'files' -%}
        {%- set discovery = raw_file_discovery() -%}
        {%- for name, found in discovery.chosen.items() if found -%}
            {%- for file in found.files -%}
                {%- do seen.append({'relation': name, 'read_from': file, 'status': 'read', 'reason': none}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for skip in discovery.skipped -%}
            {%- do seen.append({'relation': skip.relation, 'read_from': skip.file, 'status': 'skipped',
                'reason': skip.reason}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- for name in raw_contract() -%}
            {%- set origin = raw_relation_origin(name) -%}
            {%- if origin != 'absent' -%}
                {%- do seen.append({'relation': name, 'read_from': origin, 'status': 'read', 'reason': none}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(seen) }}
{%- endmacro %}
