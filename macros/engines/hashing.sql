{#- Hashes: the personal-data salt, SHA-256 as hex, a row's fingerprint.
    DuckDB is the default; docs/engines.md says why each engine differs. -#}

{#- A row's identity as text: the md5 of its values (text expressions) as a
    JSON array, unambiguous whatever the values hold. Each engine writes the
    array its own way, so the ids are stable within a warehouse, not equal
    across engines (no mart holds them). -#}
{% macro row_fingerprint(expressions) -%}
    {{ return(adapter.dispatch('row_fingerprint')(expressions)) }}
{%- endmacro %}

{% macro default__row_fingerprint(expressions) -%}
    md5(cast(to_json([{{ expressions | join(', ') }}]) as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro postgres__row_fingerprint(expressions) -%}
    md5(cast(json_build_array({{ expressions | join(', ') }}) as text))
{%- endmacro %}

{% macro spark__row_fingerprint(expressions) -%}
    md5(to_json(array({{ expressions | join(', ') }})))
{%- endmacro %}

{#- The salt as a SQL expression, null when it is not set: DuckDB's variable
    pii_salt (plugins/pii_salt.py sets it from env var PII_SALT); on
    PostgreSQL the setting warehouse.pii_salt, which libpq sends from env var
    PGOPTIONS ("-c warehouse.pii_salt=..."). Never a literal in SQL text. -#}
{% macro pii_salt() -%}
    {{ return(adapter.dispatch('pii_salt')()) }}
{%- endmacro %}

{% macro default__pii_salt() -%}
    getvariable('pii_salt')
{%- endmacro %}

{% macro postgres__pii_salt() -%}
    nullif(current_setting('warehouse.pii_salt', true), '')
{%- endmacro %}

{#- Spark substitutes ${env:PII_SALT} from the environment while it parses
    the statement (after dbt wrote its logs); unset, the reference stays. -#}
{% macro spark__pii_salt() -%}
    nullif(nullif('${env:PII_SALT}', concat('$', '{env:PII_SALT}')), '')
{%- endmacro %}

{#- The SHA-256 of a text expression as 64 lowercase hex characters. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}
