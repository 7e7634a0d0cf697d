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

{#- 13800138000 -> *******8000: the last 4 digits kept only from numbers of 8 or
    more characters (docs/rules/user-profile.md), too little to rebuild the number with the
    hash; shorter ones are all stars. A mask never equals its input. -#}
{% macro mask_phone(column) -%}
    case
        when {{ column }} is null then null
        when length({{ column }}) >= 8 and {{ column }} != repeat('*', length({{ column }}) - 4) || right({{ column }}, 4)
            then repeat('*', length({{ column }}) - 4) || right({{ column }}, 4)
        when {{ column }} != repeat('*', length({{ column }})) then repeat('*', length({{ column }}))
        else repeat('*', length({{ column }}) + 1)
    end
{%- endmacro %}

{#- ann.lee@example.com -> a***@example.com: the first character kept only from a
    local part of 3 or more characters, so that a***@b.co never stands for
    a@b.co alone; the domain kept. A mask never equals its input. -#}
{% macro mask_email(column) -%}
    case
        when {{ column }} is null then null
        when {{ column }} like '%@%' and length(split_part({{ column }}, '@', 1)) >= 3
            and {{ column }} != left({{ column }}, 1) || '***@' || split_part({{ column }}, '@', 2)
            then left({{ column }}, 1) || '***@' || split_part({{ column }}, '@', 2)
        when {{ column }} like '%@%' and {{ column }} != '***@' || split_part({{ column }}, '@', 2)
            then '***@' || split_part({{ column }}, '@', 2)
        when {{ column }} != '***' then '***'
        else '****'
    end
{%- endmacro %}

{#- Personal data in free text (docs/rules/user-profile.md): an email address, or a mobile
    number (optionally +86 or 0086, digits optionally parted by up to two
    spaces, dots, dashes, brackets or pluses) standing alone or inside longer text, looked for in the text as
    people type it: full-width forms folded and URL escapes decoded first
    (personal_data_text). One definition, used to scrub staging and to check
    that nothing slipped. -#}
{% macro email_pattern() -%}
    [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}
{%- endmacro %}

{% macro phone_pattern() -%}
    (^|[^0-9])((\+|00)?86[ .()+-]{0,2})?1[3-9]([ .()+-]{0,2}[0-9]){9}([^0-9]|$)
{%- endmacro %}

{#- The text matched against the patterns: full-width ASCII forms and the
    ideographic space folded to ASCII (what Unicode NFKC does to them:
    １３８ → 138, ＠ → @, ． → .), and the URL escapes an address or a number
    is written with decoded (%40 → @, %2B → +, %20 → space; a query string's
    + for a space is a separator in the number pattern). Dots, dashes and
    underscores are never escaped in URLs, so they need no decoding.
    Translate and replace, so that every engine folds alike. -#}
{% macro personal_data_text(column) -%}
    {%- set folded = "translate(" ~ column ~ ", " ~ sql_values([full_width_forms(), ascii_forms()]) ~ ")" -%}
    {%- set decoded = namespace(text=folded) -%}
    {%- for escape, character in [('%40', '@'), ('%2B', '+'), ('%2b', '+'), ('%20', ' ')] -%}
        {%- set decoded.text = "replace(" ~ decoded.text ~ ", " ~ sql_values([escape, character]) ~ ")" -%}
    {%- endfor -%}
    {{ decoded.text }}
{%- endmacro %}

{#- U+FF01 … U+FF5E and U+3000, and the !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~ II characters NFKC maps them to
    (all but the backslash, which Spark reads as an escape in a literal). -#}
{% macro full_width_forms() -%}
    {{ return('！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　') }}
{%- endmacro %}

{% macro ascii_forms() -%}
    {{ return('!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~ ') }}
{%- endmacro %}

{#- Free text with email addresses and phone numbers replaced by [email] and
    [phone], before any mart sees it. Text without either is kept exactly as
    it came; text with one is kept folded and decoded (personal_data_text)
    around the replacements. The number pattern runs twice: one match takes
    the character after it, which the next number needs before it. -#}
{% macro scrub_personal_data(column) -%}
    {%- set text = personal_data_text(column) -%}
    {%- set emails_out = replace_pattern(text, "'" ~ email_pattern() ~ "'", "'[email]'") -%}
    {%- set phones_out = replace_pattern(emails_out, "'" ~ phone_pattern() ~ "'", "'\\1[phone]\\5'") -%}
    case
        when {{ has_personal_data(column) }}
            then {{ replace_pattern(phones_out, "'" ~ phone_pattern() ~ "'", "'\\1[phone]\\5'") }}
        else {{ column }}
    end
{%- endmacro %}

{#- True when a value holds an email address or a phone number, as typed
    (personal_data_text). The folding and the patterns run only on values
    that pass may_hold_personal_data, far cheaper per row
    (docs/performance.md#daily-incremental-runs). -#}
{% macro has_personal_data(column) -%}
    {%- set text = personal_data_text(column) -%}
    ({{ may_hold_personal_data(column) }}
        and ({{ has_email(text) }} or {{ matches_pattern(text, "'" ~ phone_pattern() ~ "'") }}))
{%- endmacro %}

{#- A cheap test on the text as it came that every value holding personal
    data passes (docs/rules/user-profile.md): an address needs an @, typed,
    full width or escaped as %40 (whose % may be full width), so a % or an
    @ of either width; a number needs eleven digits of either width with at
    most six characters between neighbours (two separators, each at most a
    three-character escape such as %20). -#}
{% macro may_hold_personal_data(column) -%}
    {{ matches_pattern(column, "'[@＠%％]|[0-9０-９]([^0-9０-９]{0,6}[0-9０-９]){10}'") }}
{%- endmacro %}

{#- The distinct values of `column` in `relation` that hold personal data,
    as column_value. Text repeats (pages, campaigns), so each value is matched
    once. Grouped with a having, not select distinct: DuckDB pushes a filter
    below a distinct, and the patterns then ran on every row (100 s on the
    events, 30 s per text column of user_recommendations at one million users). -#}
{% macro distinct_values_with_personal_data(relation, column) -%}
    select column_value
    from (
        select {{ column }} as column_value
        from {{ relation }}
        group by {{ column }}
        having count(*) > 0
    ) as distinct_values
    where {{ has_personal_data('column_value') }}
{%- endmacro %}

{#- True when the text holds an email address. Looking for '@' first is far
    cheaper than the pattern, and no address lacks one. -#}
{% macro has_email(column) -%}
    (position('@' in {{ column }}) > 0 and {{ matches_pattern(column, "'" ~ email_pattern() ~ "'") }})
{%- endmacro %}
