{#- Personal data (docs/rules/user-profile.md): salted hashes, masks, and the patterns that
    find email addresses and phone numbers in free text. -#}

{#- Personal data never reaches a mart in clear (docs/rules/user-profile.md): a salted SHA-256
    of the value. The salt is the DuckDB variable pii_salt, set from env var
    PII_SALT by plugins/pii_salt.py, so it is never rendered into SQL text,
    artifacts or logs. Only the demo seeds may build without it (with a
    public demo salt); check_settings stops any other build that lacks it. -#}
{% macro pii_hash(column) -%}
    case
        when {{ column }} is not null
            then {{ sha256_hex("coalesce(" ~ pii_salt() ~ ", " ~ sql_values([demo_pii_salt()]) ~ ") || " ~ column) }}
    end
{%- endmacro %}

{#- The public salt of the demo seeds: not a secret, never used on real data. -#}
{% macro demo_pii_salt() -%}
    {{ return('demo-seeds-only-not-a-secret') }}
{%- endmacro %}

{#- 13800138000 -> *******8000: at most the last 4 digits kept (docs/rules/user-profile.md), too
    little to rebuild the number with the hash. -#}
{% macro mask_phone(column) -%}
    case
        when length({{ column }}) > 4 then repeat('*', length({{ column }}) - 4) || right({{ column }}, 4)
        when {{ column }} is not null then repeat('*', length({{ column }}))
    end
{%- endmacro %}

{#- ann.lee@example.com -> a***@example.com: first character and domain kept. -#}
{% macro mask_email(column) -%}
    case
        when {{ column }} like '%@%' then left({{ column }}, 1) || '***@' || split_part({{ column }}, '@', 2)
        when {{ column }} is not null then '***'
    end
{%- endmacro %}

{#- Personal data in free text (docs/rules/user-profile.md): an email address, or a mobile
    number (optionally +86) standing alone or inside longer text. One
    definition, used to scrub staging and to check that nothing slipped. -#}
{% macro email_pattern() -%}
    [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}
{%- endmacro %}

{% macro phone_pattern() -%}
    (^|[^0-9])((\+|00)?86[ -]?)?1[3-9][0-9]{9}([^0-9]|$)
{%- endmacro %}

{#- Free text with email addresses and phone numbers replaced by [email] and
    [phone], before any mart sees it. -#}
{% macro scrub_personal_data(column) -%}
    {{ replace_pattern(replace_pattern(column, "'" ~ email_pattern() ~ "'", "'[email]'"),
        "'" ~ phone_pattern() ~ "'", "'\\1[phone]\\4'") }}
{%- endmacro %}

{#- True when a value holds an email address or a phone number. -#}
{% macro has_personal_data(column) -%}
    ({{ has_email(column) }} or {{ matches_pattern(column, "'" ~ phone_pattern() ~ "'") }})
{%- endmacro %}

{#- True when the text holds an email address. Looking for '@' first is far
    cheaper than the pattern, and no address lacks one. -#}
{% macro has_email(column) -%}
    (position('@' in {{ column }}) > 0 and {{ matches_pattern(column, "'" ~ email_pattern() ~ "'") }})
{%- endmacro %}
