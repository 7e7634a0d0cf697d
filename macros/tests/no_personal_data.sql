{#- Fails with every row whose columns hold an email address or a phone
    number (docs/rules/user-profile.md), in one scan of the model. Put on the staging free text
    that marts copy, so a leak stops the build before any mart is written. -#}
{% test no_personal_data(model, columns) %}
select
    {{ columns | join(', ') }}
from {{ model }}
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}{{ has_personal_data(column) }}
    {%- endfor %}
{% endtest %}
