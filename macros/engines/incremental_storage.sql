{#- The final select of an incremental model: the rows of CTE `written`,
    which an incremental run writes in place of the stored rows with the same
    `key` (and of those whose key is in CTE `replaced`, when given: the
    per-device models replace every changed device, even one left with no
    row). On Spark, where a run overwrites whole storage buckets, the other
    stored rows of the buckets it writes are selected too. -#}
{% macro rows_to_store(written, key, replaced=none) -%}
    {{ return(adapter.dispatch('rows_to_store')(written, key, replaced)) }}
{%- endmacro %}

{% macro default__rows_to_store(written, key, replaced) -%}
    select * from {{ written }}
{%- endmacro %}

{#- Rows go to one of eight buckets by a hash of their key, so a replaced row
    is always in its replacement's bucket. Dynamic partition overwrite cannot
    empty a bucket: one whose every key is replaced by no row at all (every
    device in an eighth of them left with no staged event) would keep its old
    rows (docs/engines.md#apache-spark). -#}
{% macro spark__rows_to_store(written, key, replaced) -%}
    {%- set replaced = replaced or written -%}
    {{- require_stored_columns(['storage_bucket'], 'docs/engines.md#apache-spark') }}
    select
        {{ written }}.*,
        pmod(hash({{ written }}.{{ key }}), 8) as storage_bucket
    from {{ written }}
    {%- if is_incremental() and this is not string %}
    union all
    select stored.*
    from {{ this }} as stored
    where
        stored.storage_bucket in (select pmod(hash(replaced.{{ key }}), 8) from {{ replaced }} as replaced)
        and not exists (select 1 from {{ replaced }} as replaced where replaced.{{ key }} = stored.{{ key }})
    {%- endif %}
{%- endmacro %}
