{#- Fails with every row whose value lies outside [min_value, max_value]
    (or the open interval when inclusive is false); either bound may be
    omitted. Nulls pass (test them with not_null). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{%- set below = '<' if inclusive else '<=' -%}
{%- set above = '>' if inclusive else '>=' -%}
select *
from {{ model }}
where
    {{ column_name }} is not null
    and (
        false
        {%- if min_value is not none %} or {{ column_name }} {{ below }} {{ min_value }}{% endif %}
        {%- if max_value is not none %} or {{ column_name }} {{ above }} {{ max_value }}{% endif %}
    )
{% endtest %}
