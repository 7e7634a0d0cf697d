{#- Apache Spark (docs/engines.md): the type names the project writes
    (contracts, seeds, casts), DuckDB's and PostgreSQL's, in Spark's words.
    Spark 4 wants a length for varchar and has no `double precision`. -#}
{% macro spark_type(type) -%}
    {%- set spark_names = {'varchar': 'string', 'text': 'string', 'double precision': 'double', 'integer': 'int',
        'timestamptz': 'timestamp'} -%}
    {{- return(spark_names.get(type | trim | lower, type)) -}}
{%- endmacro %}

{#- dbt.cast (also how dbt reads a contract's types) with Spark's type names. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

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

{#- dbt.listagg with its order (dbt-spark drops the order; Spark 4 has
    listagg ... within group). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not supported on Spark by this project") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}) {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
