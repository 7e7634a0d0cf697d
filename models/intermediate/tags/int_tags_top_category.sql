-- Tags whose rule is top_category (docs/rules/tags.md): the category with the most
-- product events in the window (ties by name), if it has at least min_sample
-- of them; the evidence is the category. Favourite category is of this shape.
with

rules as (
    {{ tag_rules('top_category') }}
),

category_events as (
    select
        rules.tag_id,
        category_days.person_id as user_id,
        category_days.category,
        sum(category_days.product_events) as category_events,
        min(rules.min_sample) as min_sample
    from {{ ref('int_person_category_days') }} as category_days
    inner join {{ ref('int_users_as_of') }} as users on category_days.person_id = users.user_id
    inner join rules on category_days.activity_date between rules.window_start and rules.window_end
    group by rules.tag_id, category_days.person_id, category_days.category
),

ranked_categories as (
    select
        tag_id,
        user_id,
        category,
        category_events,
        min_sample,
        row_number() over (partition by tag_id, user_id order by category_events desc, category asc) as category_rank
    from category_events
)

select
    tag_id,
    user_id,
    category as evidence
from ranked_categories
where category_rank = 1 and category_events >= min_sample
