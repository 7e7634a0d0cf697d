with

deduplicated as (
    select * from {{ ref('base_orders_deduplicated') }}
),

parent_users as (
    {{ parent_keys('base_users_typed', 'user_id') }}
),

exchange_rates as (
    select
        upper(trim(currency)) as currency,
        valid_from,
        rate
    from {{ ref('exchange_rates') }}
),

typed as (
    select
        {{ clean_id('order_id') }} as order_id,
        {{ clean_id('user_id') }} as user_id,
        {{ parse_timestamp('ordered_at') }} as ordered_at,
        case {{ clean_code('status') }}
            when 'canceled' then 'cancelled'
            when 'complete' then 'completed'
            else {{ clean_code('status') }}
        end as status,
        {{ parse_amount('amount') }} as amount,
        coalesce({{ parse_amount('discount_amount') }}, cast(0 as decimal(18, 2))) as discount_amount,
        {{ clean_text('discount_amount') }} is not null
        and {{ parse_amount('discount_amount') }} is null as is_discount_unparseable,
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_code('channel') }} as channel,
        raw_row_id,
        n_copies,
        {{ raw_text_columns('raw_orders') }}
    from deduplicated
),

-- var reporting_currency, or else the one currency the orders hold (docs/raw-contract.md:
-- with one currency and no rates nothing changes); several currencies and no
-- reporting currency is an error naming them and their rows, not a guess.
currency_rows as (
    select
        currency,
        count(*) as order_rows
    from typed
    where currency is not null
    group by currency
),

reporting_currency as (
    select
        coalesce(
            {{ sql_values([var('reporting_currency')]) if var('reporting_currency') else 'null' }},
            case
                when (select count(*) from currency_rows) > 1
                    then {{ raise_in_sql_expression(
                        "'raw_orders hold several currencies (' || (select "
                        ~ dbt.listagg("currency || ' ' || cast(order_rows as " ~ dbt.type_string() ~ ")", "', '",
                            "order by order_rows desc, currency")
                        ~ " from currency_rows) || ' rows); set var reporting_currency"
                        ~ " and give their rates in seed exchange_rates'") }}
                else (select min(currency) from currency_rows)
            end
        ) as currency
),

order_rates as (
    select
        typed.raw_row_id,
        exchange_rates.rate,
        row_number() over (partition by typed.raw_row_id order by exchange_rates.valid_from desc) as rate_rank
    from typed
    inner join exchange_rates
        on
            typed.currency = exchange_rates.currency
            and exchange_rates.valid_from <= cast(typed.ordered_at as date)
),

priced as (
    select
        typed.*,
        coalesce(typed.currency, reporting_currency.currency) as order_currency,
        case
            when reporting_currency.currency is null then cast(1 as decimal(18, 8))
            when coalesce(typed.currency, reporting_currency.currency) = reporting_currency.currency
                then cast(1 as decimal(18, 8))
            else cast(order_rates.rate as decimal(18, 8))
        end as exchange_rate
    from typed
    cross join reporting_currency
    left join order_rates on typed.raw_row_id = order_rates.raw_row_id and order_rates.rate_rank = 1
),

outliers as (
    {{ outlier_days('deduplicated', parse_timestamp('ordered_at')) }}
),

duplicate_keys as (
    select order_id
    from typed
    where order_id is not null
    group by order_id
    having count(*) > 1
),

checked as (
    select
        priced.*,
        case
            when priced.order_id is null or priced.user_id is null then 'null_key'
            when duplicate_keys.order_id is not null then 'duplicate_key'
            {{ timestamp_reject_reason('priced.raw_ordered_at', 'priced.ordered_at', 'outliers') }}
            when priced.amount is null or priced.is_discount_unparseable then 'unparseable_amount'
            when priced.amount < 0 or priced.discount_amount < 0 then 'negative_amount'
            when coalesce(priced.status not in ({{ sql_values(var('order_statuses')) }}), true) then 'unknown_status'
            when priced.exchange_rate is null then 'unknown_currency'
            {{ foreign_key_reject_reason('priced.user_id', 'parent_users') }}
        end as reject_reason
    from priced
    cross join outliers
    left join parent_users on priced.user_id = parent_users.parent_key
    left join duplicate_keys on priced.order_id = duplicate_keys.order_id
)

select
    raw_row_id,
    order_id,
    user_id,
    ordered_at,
    status,
    status in ({{ sql_values(var('valid_order_statuses')) }}) as is_valid,
    amount,
    discount_amount,
    order_currency as currency,
    exchange_rate,
    channel,
    n_copies - 1 as duplicates_removed,
    reject_reason,
    case when reject_reason is not null then {{ raw_record_json('raw_orders') }} end as raw_record
from checked
