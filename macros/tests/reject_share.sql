{#- The share of a raw relation's rows that staging rejected (docs/raw-contract.md),
    against vars reject_share_warn and reject_share_error. Past the warn share
    the test returns the relation with its share and top reasons (configure it
    with severity warn); past the error share it fails the build at once with
    a message naming the relation and its top reasons, so that a file of
    semicolons is an alarm, not a quiet zero. With timestamp_column, an
    outlier_timestamp reason says which rule made it and which var moves it. -#}
{% test reject_share(model, relation_name, timestamp_column=none) %}
with

reasons as (
    select
        {%- if timestamp_column %}
        -- outlier_timestamp comes from two rules: say which, and the var that moves it
        case
            when reject_reason = 'outlier_timestamp' and {{ timestamp_column }} < {{ min_valid_timestamp() }}
                then 'outlier_timestamp (before var min_valid_date {{ var("min_valid_date") }})'
            when reject_reason = 'outlier_timestamp'
                then 'outlier_timestamp (beyond a gap of more than var as_of_max_gap_days {{ var("as_of_max_gap_days") }}'
                || ' days, under var outlier_max_share {{ var("outlier_max_share") }} of the rows)'
            else reject_reason
        end as reject_reason,
        {%- else %}
        reject_reason,
        {%- endif %}
        count(*) as rejected_rows
    from {{ model }}
    where reject_reason is not null
    group by 1
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
