{#- RFM (docs/rules/rfm.md): the score of a rank, and the summaries by segment or layer. -#}

{#- An RFM score (docs/rules/rfm.md): least(5, 1 + floor(5 × percent_rank)), with
    percent_rank = (rank − 1) / (n − 1) (0 when n = 1), in whole numbers. -#}
{% macro rfm_score(rank_column, count_column) -%}
    cast(
        case
            when {{ count_column }} = 1 then 1
            else least(5, 1 + floor((5 * ({{ rank_column }} - 1)) / ({{ count_column }} - 1)))
        end as integer
    )
{%- endmacro %}

{#- Users and revenue per RFM segment or layer on as_of_date (docs/rules/rfm.md),
    every value of the seed listed, zeros included; revenue is the users'
    monetary, so it adds up to user_rfm's. Used by rfm_segment_summary and
    rfm_layer_summary. -#}
{% macro rfm_summary(dimension, seed) -%}
with

dimension_values as (
    select distinct
        {{ dimension }},
        {{ dimension }}_zh
    from {{ ref(seed) }}
),

users as (
    select
        {{ dimension }},
        count(*) as users,
        sum(monetary) as revenue,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary) as avg_monetary
    from {{ ref('user_rfm') }}
    group by {{ dimension }}
),

totals as (
    select
        count(*) as users,
        sum(monetary) as revenue
    from {{ ref('user_rfm') }}
)

select
    dimension_values.{{ dimension }},
    dimension_values.{{ dimension }}_zh,
    cast(coalesce(users.users, 0) as bigint) as users,
    cast(coalesce(users.users, 0) as {{ type_double() }}) / nullif(totals.users, 0) as user_share,
    cast(coalesce(users.revenue, 0) as decimal(18, 2)) as revenue,
    cast(coalesce(users.revenue, 0) as {{ type_double() }}) / nullif(totals.revenue, 0) as revenue_share,
    cast(users.avg_recency_days as {{ type_double() }}) as avg_recency_days,
    cast(users.avg_frequency as {{ type_double() }}) as avg_frequency,
    cast(users.avg_monetary as {{ type_double() }}) as avg_monetary
from dimension_values
cross join totals
left join users on dimension_values.{{ dimension }} = users.{{ dimension }}
{%- endmacro %}
