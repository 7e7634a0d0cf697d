{#- dbt-spark's seed loading, overridden: typed columns from the seed's
    column_types, and rows inserted in batches that Spark's parser takes.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- dbt-spark's seed table, with the seeds' column_types in Spark's words. -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ spark_type(type) }}
            {%- if not loop.last -%}, {% endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}{{ sql }}{%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{#- Seed rows as SQL literals. dbt-spark's own loader (session method) writes
    a null as the text 'None' and does not escape quotes; here a null stays
    null and text is quoted (backslashes are plain characters: the profile
    sets spark.sql.parser.escapedStringLiterals). -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(spark_type(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
        insert into {{ this.render() }} values
        {% for row in chunk -%}
            ({%- for value in row -%}
                {%- if value is none -%}null{%- else -%}cast('{{ value | string | replace("'", "''") }}' as {{ types[loop.index0] }}){%- endif -%}
                {{- ", " if not loop.last -}}
            {%- endfor -%}){{ "," if not loop.last }}
        {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
