-- Seed rfm_segments holds exactly the (R, F) grid of docs/rules/rfm.md, written out
-- here independently: all 25 cells, each with the spec's segment. Returns
-- the cells that are missing or differ.
with

scores as (
    select 1 as score
    union all
    select 2 as score
    union all
    select 3 as score
    union all
    select 4 as score
    union all
    select 5 as score
),

spec as (
    select
        r.score as r_score,
        f.score as f_score,
        case
            when r.score <= 2 and f.score <= 2 then 'hibernating'
            when r.score <= 2 and f.score <= 4 then 'at_risk'
            when r.score <= 2 then 'cant_lose'
            when r.score = 3 and f.score <= 2 then 'about_to_sleep'
            when r.score = 3 and f.score = 3 then 'need_attention'
            when r.score in (3, 4) and f.score >= 4 then 'loyal'
            when r.score = 4 and f.score = 1 then 'promising'
            when r.score = 5 and f.score = 1 then 'new_customer'
            when f.score in (2, 3) then 'potential_loyalist'
            else 'champion'
        end as segment
    from scores as r
    cross join scores as f
)

select
    spec.r_score,
    spec.f_score,
    spec.segment as spec_segment,
    seed.segment as seed_segment
from spec
left join {{ ref('rfm_segments') }} as seed
    on
        spec.r_score = seed.r_score
        and spec.f_score = seed.f_score
where seed.segment is null or seed.segment != spec.segment
