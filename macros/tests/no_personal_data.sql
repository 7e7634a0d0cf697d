{#- Fails with every value of `columns` that holds an email address or a
    phone number (docs/rules/user-profile.md), each distinct value matched
    once. Put on the staging free text that marts copy, so a leak stops the
    build before any mart is written. -#}
{% test no_personal_data(model, columns) %}
{%- for column in columns %}
{{ "union all" if not loop.first }}
select
    '{{ column }}' as column_name,
    column_value
from ({{ distinct_values_with_personal_data(model, column) }}) as leaks
{%- endfor %}
{% endtest %}
