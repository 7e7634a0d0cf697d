-- Tags (SPEC §7): one row per registered user and tag held on as_of_date,
-- with the rule's evidence. Parameters come from seed tag_definitions.
-- Attribute and lifecycle tags are data only (match_column, match_pattern).
-- Every other tag is one block below, named tag_<tag_id>, returning
-- (user_id, evidence); add it to tagged_users too.
with

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

tag_definitions as (
    select
        tag_id,
        tag_group,
        tag_name,
        tag_name_zh,
        match_column,
        match_pattern,
        threshold,
        window_days,
        min_sample
    from {{ ref('tag_definitions') }}
),

-- each tag's parameters, its window as dates
tag_params as (
    select
        tag_definitions.tag_id,
        tag_definitions.match_column,
        tag_definitions.match_pattern,
        tag_definitions.threshold,
        tag_definitions.min_sample,
        cast({{ dbt.dateadd('day', '1 - tag_definitions.window_days', 'as_of.as_of_date') }} as date)
            as window_start,
        as_of.as_of_date as window_end
    from tag_definitions
    cross join as_of
),

users as (
    select
        user_id,
        gender,
        age_band,
        city
    from {{ ref('int_user_attributes') }}
),

lifecycle as (
    select
        user_id,
        lifecycle_status
    from {{ ref('int_user_lifecycle') }}
),

user_days as (
    select
        person_days.person_id,
        person_days.activity_date,
        person_days.searches
    from {{ ref('int_person_days') }} as person_days
    inner join users on person_days.person_id = users.user_id
),

user_sessions as (
    select
        sessions.person_id,
        sessions.session_date,
        sessions.started_at,
        sessions.has_add_to_cart,
        sessions.converted,
        -- night: sessions starting 22:00-01:59 (UTC)
        case when sessions.session_hour >= 22 or sessions.session_hour < 2 then 1.0 else 0.0 end as is_night,
        case when sessions.device_type = 'mobile' then 1.0 else 0.0 end as is_mobile
    from {{ ref('int_sessions') }} as sessions
    inner join users on sessions.person_id = users.user_id
),

valid_orders as (
    select
        orders.user_id,
        orders.ordered_at,
        orders.order_date,
        orders.amount,
        orders.discount_amount
    from {{ ref('int_order_facts') }} as orders
    inner join users on orders.user_id = users.user_id
    where orders.is_valid
),

-- attribute and lifecycle tags: a profile column matches a pattern --------
profile_values as (
    select
        user_id,
        'gender' as match_column,
        gender as match_value
    from users
    union all
    select
        user_id,
        'age_band' as match_column,
        age_band as match_value
    from users
    union all
    select
        user_id,
        'city' as match_column,
        city as match_value
    from users
    union all
    select
        user_id,
        'lifecycle_status' as match_column,
        lifecycle_status as match_value
    from lifecycle
),

tag_matched_profiles as (
    select
        tag_params.tag_id,
        profile_values.user_id,
        profile_values.match_value as evidence
    from tag_params
    inner join profile_values
        on
            tag_params.match_column = profile_values.match_column
            and regexp_matches(profile_values.match_value, tag_params.match_pattern)
),

-- behaviour -------------------------------------------------------------
tag_high_frequency_visitor as (
    select
        user_days.person_id as user_id,
        cast(count(*) as {{ dbt.type_string() }}) as evidence
    from user_days
    inner join tag_params
        on
            tag_params.tag_id = 'high_frequency_visitor'
            and user_days.activity_date between tag_params.window_start and tag_params.window_end
    group by user_days.person_id
    having count(*) >= min(tag_params.threshold)
),

tag_night_owl as (
    select
        user_sessions.person_id as user_id,
        cast(round(avg(user_sessions.is_night), 3) as {{ dbt.type_string() }}) as evidence
    from user_sessions
    inner join tag_params
        on
            tag_params.tag_id = 'night_owl'
            and user_sessions.session_date between tag_params.window_start and tag_params.window_end
    group by user_sessions.person_id
    having
        count(*) >= min(tag_params.min_sample)
        and avg(user_sessions.is_night) >= min(tag_params.threshold)
),

tag_mobile_first as (
    select
        user_sessions.person_id as user_id,
        cast(round(avg(user_sessions.is_mobile), 3) as {{ dbt.type_string() }}) as evidence
    from user_sessions
    inner join tag_params
        on
            tag_params.tag_id = 'mobile_first'
            and user_sessions.session_date between tag_params.window_start and tag_params.window_end
    group by user_sessions.person_id
    having
        count(*) >= min(tag_params.min_sample)
        and avg(user_sessions.is_mobile) >= min(tag_params.threshold)
),

tag_searcher as (
    select
        user_days.person_id as user_id,
        cast(sum(user_days.searches) as {{ dbt.type_string() }}) as evidence
    from user_days
    inner join tag_params
        on
            tag_params.tag_id = 'searcher'
            and user_days.activity_date between tag_params.window_start and tag_params.window_end
    group by user_days.person_id
    having sum(user_days.searches) >= min(tag_params.threshold)
),

abandoned_carts as (
    select
        user_sessions.person_id as user_id,
        count(*) as abandoned_sessions,
        max(user_sessions.started_at) as last_abandoned_at,
        min(tag_params.threshold) as threshold
    from user_sessions
    inner join tag_params
        on
            tag_params.tag_id = 'cart_abandoner'
            and user_sessions.session_date between tag_params.window_start and tag_params.window_end
    where user_sessions.has_add_to_cart and not user_sessions.converted
    group by user_sessions.person_id
),

tag_cart_abandoner as (
    select
        abandoned_carts.user_id,
        cast(abandoned_carts.abandoned_sessions as {{ dbt.type_string() }}) as evidence
    from abandoned_carts
    where
        abandoned_carts.abandoned_sessions >= abandoned_carts.threshold
        and not exists (
            select 1
            from valid_orders
            where
                valid_orders.user_id = abandoned_carts.user_id
                and valid_orders.ordered_at >= abandoned_carts.last_abandoned_at
        )
),

-- value -----------------------------------------------------------------
window_orders as (
    select
        tag_params.tag_id,
        valid_orders.user_id,
        count(*) as orders,
        sum(valid_orders.amount) as revenue,
        sum(case when valid_orders.discount_amount > 0 then 1 else 0 end) as discounted_orders,
        min(tag_params.threshold) as threshold,
        min(tag_params.min_sample) as min_sample
    from valid_orders
    inner join tag_params
        on
            tag_params.tag_id in ('big_spender', 'discount_sensitive', 'repurchaser')
            and valid_orders.order_date between tag_params.window_start and tag_params.window_end
    group by tag_params.tag_id, valid_orders.user_id
),

ranked_spenders as (
    select
        user_id,
        revenue,
        threshold,
        row_number() over (order by revenue desc, user_id asc) as revenue_rank,
        count(*) over () as buyers
    from window_orders
    where tag_id = 'big_spender'
),

tag_big_spender as (
    select
        user_id,
        cast(revenue as {{ dbt.type_string() }}) as evidence
    from ranked_spenders
    where revenue_rank <= ceil(threshold * buyers)
),

tag_discount_sensitive as (
    select
        user_id,
        cast(round(cast(discounted_orders as double) / orders, 3) as {{ dbt.type_string() }}) as evidence
    from window_orders
    where
        tag_id = 'discount_sensitive'
        and orders >= min_sample
        and cast(discounted_orders as double) / orders >= threshold
),

tag_repurchaser as (
    select
        user_id,
        cast(orders as {{ dbt.type_string() }}) as evidence
    from window_orders
    where tag_id = 'repurchaser' and orders >= threshold
),

-- preference ------------------------------------------------------------
category_events as (
    select
        category_days.person_id as user_id,
        category_days.category,
        sum(category_days.product_events) as category_events,
        min(tag_params.min_sample) as min_sample
    from {{ ref('int_person_category_days') }} as category_days
    inner join tag_params
        on
            tag_params.tag_id = 'favourite_category'
            and category_days.activity_date between tag_params.window_start and tag_params.window_end
    inner join users on category_days.person_id = users.user_id
    group by category_days.person_id, category_days.category
),

ranked_categories as (
    select
        user_id,
        category,
        category_events,
        min_sample,
        row_number() over (partition by user_id order by category_events desc, category asc) as category_rank
    from category_events
),

tag_favourite_category as (
    select
        user_id,
        category as evidence
    from ranked_categories
    where category_rank = 1 and category_events >= min_sample
),

-- all tags --------------------------------------------------------------
tagged_users as (
    select
        tag_id,
        user_id,
        evidence
    from tag_matched_profiles
    {% for tag_id in [
        'high_frequency_visitor', 'night_owl', 'mobile_first', 'searcher', 'cart_abandoner',
        'big_spender', 'discount_sensitive', 'repurchaser', 'favourite_category',
    ] %}
    union all
    select
        '{{ tag_id }}' as tag_id,
        user_id,
        evidence
    from tag_{{ tag_id }}
    {% endfor %}
)

select
    tagged_users.user_id || '|' || tagged_users.tag_id as user_tag_id,
    tagged_users.user_id,
    tagged_users.tag_id,
    tag_definitions.tag_group,
    tag_definitions.tag_name,
    tag_definitions.tag_name_zh,
    tagged_users.evidence,
    as_of.as_of_date
from tagged_users
inner join tag_definitions on tagged_users.tag_id = tag_definitions.tag_id
cross join as_of
