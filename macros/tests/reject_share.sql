{#- The share of a raw relation's rows that staging rejected (docs/raw-contract.md),
    against vars reject_share_warn and reject_share_error. Past the warn share
    the test returns the relation with its share and top reasons (configure it
    with severity warn); past the error share it fails the build at once with
    a message naming the relation and its top reasons, so that a file of
    semicolons is an alarm, not a quiet zero. -#}
{% test reject_share(model, relation_name) %}
with

reasons as (
    select
        reject_reason,
        count(*) as rejected_rows
    from {{ model }}
    where reject_reason is not null
    group by reject_reason
),

totals as (
    select
        count(*) as distinct_rows,
        sum(case when reject_reason is not null then 1 else 0 end) as rejected_rows
    from {{ model }}
),

summary as (
    select
        totals.rejected_rows,
        totals.distinct_rows,
        cast(totals.rejected_rows as {{ type_double() }}) / nullif(totals.distinct_rows, 0) as rejected_share,
        (
            select {{ dbt.listagg("reject_reason || ' ' || cast(rejected_rows as " ~ dbt.type_string() ~ ")", "', '",
                "order by rejected_rows desc, reject_reason") }}
            from reasons
        ) as top_reasons
    from totals
)

select
    '{{ relation_name }}' as relation,
    rejected_share,
    top_reasons
from summary
where
    rejected_share > {{ var('reject_share_warn') }}
    -- in the filter, so that no engine prunes it away
    and case
        when rejected_share > {{ var('reject_share_error') }}
            then {{ raise_in_sql_expression(
                "'" ~ relation_name ~ ": ' || cast(rejected_rows as " ~ dbt.type_string() ~ ") || ' of '"
                ~ " || cast(distinct_rows as " ~ dbt.type_string() ~ ") || ' rows rejected, more than var reject_share_error ("
                ~ var('reject_share_error') ~ "); top reasons: ' || top_reasons"
            ) }} is null
        else true
    end
{% endtest %}
