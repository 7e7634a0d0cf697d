{#- Fails with every value of `columns` that holds an email address or a
    phone number (docs/rules/user-profile.md). Put on the staging free text
    that marts copy, so a leak stops the build before any mart is written.
    Each distinct value is matched once: text repeats (pages, campaigns), and
    matching every row of the events took 100 s at one million users. Grouped
    with a having, not distinct: DuckDB pushes a filter below a distinct. -#}
{% test no_personal_data(model, columns) %}
{%- for column in columns %}
{{ "union all" if not loop.first }}
select
    '{{ column }}' as column_name,
    column_value
from (
    select {{ column }} as column_value
    from {{ model }}
    group by {{ column }}
    having count(*) > 0
) as distinct_values
where {{ has_personal_data('column_value') }}
{%- endfor %}
{% endtest %}
