{#- A raw relation as the raw contract's columns, all as text, with exact
    duplicate rows folded into one row that counts its copies in n_copies
    (docs/raw-contract.md). Rows are exact duplicates when every column the relation holds
    is equal, contract or not, so two order lines that differ only in a column
    the contract does not name are both kept. raw_row_id is the md5 of all
    those values as a JSON array (columns by lower-cased name, row_fingerprint),
    unique once duplicates are folded. Optional columns absent from the data
    come back as nulls; a missing required column stops the run naming both
    the relation and the column. -#}
{% macro deduplicated_raw(name, incremental=false) -%}
    {%- set contract = raw_contract()[name] -%}
    {%- set columns = contract.required + contract.optional -%}
    {%- set relation = raw_relation(name) -%}
    {%- if relation is none -%}
        {#- raw_users and one of raw_events / raw_orders are required: check_settings
            (on-run-start, raw_data_problems) stopped the run already if they are absent. -#}
        {%- do exceptions.warn("raw relation " ~ name ~ " was not found (raw_source " ~ var('raw_source')
            ~ "); it builds as empty and the outputs that depend on it are empty or null") -%}
        {%- if incremental %}
        with rows_written as (
        {%- endif %}
        select
        {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
            cast(0 as bigint) as n_copies,
            cast(null as {{ dbt.type_string() }}) as raw_row_id
            {%- if incremental %},
            {{ load_batch() }} as load_batch,
            cast(null as {{ dbt.type_string() }}) as raw_columns
            {%- endif %}
        where false
        {%- if incremental %}
        )

        {{ rows_to_store('rows_written', 'raw_row_id') }}
        {%- endif %}
    {%- else -%}
        {%- set present = raw_columns(relation, columns) -%}
        {%- for column in contract.required if column not in present -%}
            {{ exceptions.raise_compiler_error(
                "raw relation " ~ name ~ " has no column '" ~ column ~ "' (required: "
                ~ contract.required | join(', ') ~ "; found: " ~ present.keys() | list | join(', ') ~ ")") }}
        {%- endfor %}
        {%- set held = present.keys() | list | sort -%}
        {%- set file_columns = [] -%}
        {%- for column in held -%}{%- do file_columns.append('file_column_' ~ loop.index0) -%}{%- endfor -%}
        {%- set increment = incremental and is_incremental() -%}
        {%- set added_files = none -%}
        {%- if increment -%}
            {%- do assert_same_raw_columns(name, held) -%}
            {%- set added_files = raw_files_added(name) -%}
        {%- endif %}
        with

        folded as (
            select
            {%- for column in held %}
                cast({{ adapter.quote(present[column]) }} as {{ dbt.type_string() }}) as file_column_{{ loop.index0 }},
            {%- endfor %}
                count(*) as n_copies
            {%- if added_files is none %}
            from {{ relation }}
            {%- else %}
            -- only the files added since the last run (the ones it read are unchanged)
            from {{ raw_file_reader(name, with_filename=true) }}
            where {{ ("filename in (" ~ sql_values(added_files) ~ ")") if added_files else "false" }}
            {%- endif %}
            group by {% for column in held %}{{ loop.index }}{{ ", " if not loop.last }}{% endfor %}
        ),

        deduplicated as (
            select
            {%- for column in columns %}
                {%- if column in present %}
                file_column_{{ held.index(column) }} as {{ column }},
                {%- else %}
                cast(null as {{ dbt.type_string() }}) as {{ column }},
                {%- endif %}
            {%- endfor %}
                n_copies,
                {{ row_fingerprint(file_columns) }} as raw_row_id
            from folded
        )

        {%- if not incremental %}

        select * from deduplicated

        {%- elif not increment %},

        rows_written as (
            select
                *,
                {{ load_batch() }} as load_batch,
                {{ sql_values([held | join(',')]) }} as raw_columns
            from deduplicated
        )

        {%- elif added_files is not none %},

        -- rows of the added files; copies of a stored row add to its count
        rows_written as (
            select
            {%- for column in columns %}
                deduplicated.{{ column }},
            {%- endfor %}
                deduplicated.n_copies + coalesce(stored.n_copies, 0) as n_copies,
                deduplicated.raw_row_id,
                {{ load_batch() }} as load_batch,
                {{ sql_values([held | join(',')]) }} as raw_columns
            from deduplicated
            left join {{ this }} as stored on deduplicated.raw_row_id = stored.raw_row_id
        )

        {%- else %},

        -- every raw row compared with what is stored: new rows and new counts
        -- are written; a stored row gone from raw stops the run
        rows_written as (
            select
            {%- for column in columns %}
                deduplicated.{{ column }},
            {%- endfor %}
                deduplicated.n_copies,
                deduplicated.raw_row_id,
                {{ load_batch() }} as load_batch,
                {{ sql_values([held | join(',')]) }} as raw_columns
            from deduplicated
            left join {{ this }} as stored on deduplicated.raw_row_id = stored.raw_row_id
            where stored.raw_row_id is null or stored.n_copies <> deduplicated.n_copies

            union all

            select
            {%- for column in columns %}
                null,
            {%- endfor %}
                null,
                {{ raise_in_sql_expression(
                    "cast(gone.gone_rows as " ~ dbt.type_string() ~ ") || "
                    ~ sql_values([" rows of " ~ name ~ " that " ~ this.identifier ~ " stored are no longer in raw"
                        ~ " (edited or replaced, not appended to): run dbt build --full-refresh to rebuild from raw"
                        ~ " (docs/performance.md)"])) }},
                null,
                null
            -- counted in a subquery, not with a having: Spark computes the
            -- error of an aggregate's select before its having filters it
            from (
                select count(*) as gone_rows
                from {{ this }} as stored
                where not exists (select 1 from deduplicated where deduplicated.raw_row_id = stored.raw_row_id)
            ) as gone
            where gone.gone_rows > 0
        )

        {%- endif %}

        {%- if incremental %}

        {{ rows_to_store('rows_written', 'raw_row_id') }}

        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- An incremental deduplicated model stops the run when raw holds other
    columns than the ones its rows were folded over: raw_row_id covers every
    column, so the stored rows could not be matched. -#}
{% macro assert_same_raw_columns(name, held) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set stored = run_query("select distinct raw_columns from " ~ this ~ " where raw_columns is not null") -%}
    {%- for row in stored.rows if row[0] != held | join(',') -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ " was folded over the columns " ~ row[0] ~ " of " ~ name ~ ", which this run reads as "
            ~ held | join(',') ~ ": run dbt build --full-refresh to rebuild it (docs/performance.md)") }}
    {%- endfor -%}
{%- endmacro %}

{#- The raw files of relation `name` added since the last run, when raw is
    files (var raw_source) and the files that run read are all unchanged
    (same size, modification time and change time; listed by post-hook
    record_raw_files in <model>__raw_files); otherwise none, and the model
    compares every raw row with what it stored. The change time is what
    catches a file corrected in place with its size and modification time
    kept (plugins/file_identity.py); a listing recorded without it counts as
    changed. -#}
{% macro raw_files_added(name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set found = raw_files()[name] if var('raw_source') == 'files' else none -%}
    {%- set listing = adapter.get_relation(this.database, this.schema, this.identifier ~ '__raw_files') -%}
    {%- if not found or listing is none -%}{{ return(none) }}{%- endif -%}
    {%- if 'changed_at' not in adapter.get_columns_in_relation(listing) | map(attribute='name') | list -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set current_files = "with current_files as (" ~ raw_file_listing(found) ~ ") " -%}
    {%- set counts = run_query(current_files ~ "select"
        ~ " (select count(*) from " ~ listing ~ ") as previous,"
        ~ " (select count(*) from " ~ listing ~ " as previous_files left join current_files"
        ~ " on previous_files.file = current_files.file where current_files.file is null"
        ~ " or current_files.size <> previous_files.size"
        ~ " or current_files.last_modified <> previous_files.last_modified"
        ~ " or current_files.changed_at is null"
        ~ " or current_files.changed_at is distinct from previous_files.changed_at) as changed").rows[0] -%}
    {%- if counts[0] == 0 or counts[1] > 0 -%}{{ return(none) }}{%- endif -%}
    {{ return(run_query(current_files ~ "select file from current_files"
        ~ " where file not in (select file from " ~ listing ~ ") order by file").columns[0].values() | list) }}
{%- endmacro %}

{#- The files discovery chose for a raw relation: file, size, modification
    time and change time. -#}
{% macro raw_file_listing(found) -%}
    select filename as file, size, last_modified, uw_file_changed_at(filename) as changed_at
    from read_blob({{ raw_file_list(found) }})
{%- endmacro %}

{#- Post-hook of an incremental deduplicated model: record the files it read
    (in the same transaction as its rows), for raw_files_added next run. -#}
{% macro record_raw_files(name) -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set found = raw_files()[name] if var('raw_source') == 'files' else none -%}
    {%- set listing = api.Relation.create(database=this.database, schema=this.schema,
        identifier=this.identifier ~ '__raw_files') -%}
    {%- if found -%}
    create or replace table {{ listing }} as {{ raw_file_listing(found) }}
    {%- else -%}
    drop table if exists {{ listing }}
    {%- endif -%}
{%- endmacro %}

{#- Lower-cased column name -> column name as the data spells it. -#}
{% macro raw_columns(relation, expected) -%}
    {#- At parse time nothing can be queried, and the lint target (an empty
        in-memory database) has no raw data: assume the contract's columns. -#}
    {%- set introspect = execute and target.name != 'lint' -%}
    {%- set names = run_query("select * from " ~ relation ~ " limit 0").column_names if introspect else expected -%}
    {%- set found = {} -%}
    {%- for column_name in names -%}
        {%- do found.update({column_name | lower: column_name}) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
