{#- Stop the run at once, before any model runs (on-run-start), when a var
    that steers the build is set wrong, the raw data cannot be read as the
    contract needs, or the personal-data salt is missing: one line per
    problem, saying what is wrong and what is allowed (docs/raw-contract.md, docs/rules/user-profile.md). -#}
{% macro check_settings() -%}
    {%- set problems = [] -%}
    {%- set mode = var('raw_source') -%}
    {%- if mode not in ['seeds', 'files', 'warehouse'] -%}
        {%- do problems.append("var raw_source is '" ~ mode ~ "'; allowed values: seeds, files, warehouse") -%}
    {%- endif -%}
    {%- do problems.extend(setting_problems()) -%}
    {%- do problems.extend(timezone_problems()) -%}
    {%- if execute and target.name != 'lint' -%}
        {%- if not problems and mode in ['files', 'warehouse'] -%}
            {%- do problems.extend(raw_data_problems()) -%}
        {%- endif -%}
        {%- if not problems and mode != 'seeds' and not pii_salt_is_set() -%}
            {%- do problems.append("env var PII_SALT is not set: personal data (email, phone) is hashed with it. "
                ~ "Set a long random secret, e.g. export PII_SALT=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\", "
                ~ "and keep it the same between builds so hashes stay comparable") -%}
        {%- endif -%}
        {%- if not problems and mode == 'seeds' and not pii_salt_is_set() -%}
            {%- do exceptions.warn("env var PII_SALT is not set: the demo seeds are hashed with a public demo salt; "
                ~ "any other data needs PII_SALT") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if execute and engine_limits() -%}
        {%- do exceptions.warn(engine_limits()) -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("settings:\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    select 1 as settings_checked
{%- endmacro %}

{#- True when plugins/pii_salt.py found PII_SALT (the value is never read here). -#}
{% macro pii_salt_is_set() -%}
    {{ return(run_query("select " ~ pii_salt() ~ " is not null").columns[0].values()[0]) }}
{%- endmacro %}

{#- Each var checked for type and range; a list of problems. -#}
{% macro setting_problems() -%}
    {%- set problems = [] -%}
    {%- set whole = {
        'session_timeout_minutes': 1, 'search_terms_top_n': 1, 'lifecycle_new_days': 0, 'lifecycle_active_days': 1,
        'lifecycle_dormant_days': 1, 'rfm_window_days': 1, 'rfm_migration_days': 1, 'churn_session_window_days': 1,
        'churn_rating_window_days': 1, 'churn_low_rating': 1, 'max_users_per_device': 1, 'as_of_max_gap_days': 1,
        'active_users_week_days': 1, 'active_users_month_days': 1, 'path_steps': 1, 'paths_top_n': 1,
        'attribution_lookback_days': 0, 'prediction_horizon_days': 1, 'latest_day_baseline_days': 1,
        'latest_day_min_rows': 0, 'recommendations_per_user': 1, 'recommendation_neighbours': 1,
        'recommendation_min_support': 1, 'recommendation_max_history': 1, 'recommendation_popular_days': 1,
        'churn_horizon_days': 1, 'prospect_horizon_days': 1, 'prospect_recent_days': 1,
    } -%}
    {%- for name, minimum in whole.items() -%}
        {%- set value = var(name) -%}
        {%- if value is not number or value is sameas true or value is sameas false or value != value | int or value < minimum -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ value ~ "'; it must be a whole number >= " ~ minimum) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set positive = ['churn_inactivity_multiplier', 'churn_order_gap_multiplier', 'attribution_half_life_days',
        'recommendation_half_life_days'] -%}
    {%- for name in positive -%}
        {%- set value = var(name) -%}
        {%- if value is not number or value is sameas true or value is sameas false or value <= 0 -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ value ~ "'; it must be a number > 0") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set shares = ['pareto_top_share', 'outlier_max_share', 'churn_session_drop_ratio', 'reject_share_warn',
        'reject_share_error', 'latest_day_warn_share', 'latest_day_error_share'] -%}
    {%- for name in shares -%}
        {%- set value = var(name) -%}
        {%- if value is not number or value is sameas true or value is sameas false or value < 0 or value > 1 -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ value ~ "'; it must be a share between 0 and 1") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('lifecycle_active_days') is number and var('lifecycle_dormant_days') is number
        and var('lifecycle_dormant_days') < var('lifecycle_active_days') -%}
        {%- do problems.append("var lifecycle_dormant_days must not be below lifecycle_active_days") -%}
    {%- endif -%}
    {%- for name in ['retention_start_event', 'retention_return_event'] -%}
        {%- if var(name) not in var('known_event_types') -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ var(name) ~ "'; it must be one of known_event_types: "
                ~ var('known_event_types') | join(', ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in ['as_of_date', 'min_valid_date', 'min_birth_date'] -%}
        {%- set value = var(name) -%}
        {%- if not (value is none and name == 'as_of_date') and not is_iso_date(value) -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ value ~ "'; it must be a date written YYYY-MM-DD"
                ~ (", or null for the latest date in the data" if name == 'as_of_date' else "")) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in ['placeholder_ids', 'order_statuses', 'valid_order_statuses', 'known_event_types',
        'ambiguous_timezone_abbreviations'] -%}
        {%- set value = var(name) -%}
        {%- if value is string or value is not iterable or value is mapping or (value | reject('string') | list) -%}
            {%- do problems.append("var " ~ name ~ " must be a list of texts") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('valid_order_statuses') is iterable and var('order_statuses') is iterable -%}
        {%- for status in var('valid_order_statuses') if status not in var('order_statuses') -%}
            {%- do problems.append("var valid_order_statuses names '" ~ status ~ "', which is not in order_statuses") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set abbreviations = var('timezone_abbreviations') -%}
    {%- if abbreviations is not mapping -%}
        {%- do problems.append("var timezone_abbreviations must be a mapping of abbreviation to zone name, e.g. "
            ~ "{CST: Asia/Shanghai}") -%}
    {%- else -%}
        {%- for abbreviation, zone in abbreviations.items()
            if not (abbreviation is string and modules.re.fullmatch('[A-Za-z]{2,5}', abbreviation))
            or not (zone is string and modules.re.fullmatch('[A-Za-z][A-Za-z0-9_/+-]*', zone)) -%}
            {%- do problems.append("var timezone_abbreviations maps '" ~ abbreviation ~ "' to '" ~ zone
                ~ "'; an abbreviation is 2 to 5 letters and a zone an IANA name such as Asia/Shanghai") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set limits = var('max_text_length') -%}
    {%- if limits is not mapping or 'default' not in limits -%}
        {%- do problems.append("var max_text_length must be a mapping of column name to length with a default entry, e.g. "
            ~ "{default: 200, page_url: 4096}") -%}
    {%- else -%}
        {%- for column, limit in limits.items()
            if not (limit is number and limit is not sameas true and limit is not sameas false and limit >= 1
                and limit | int == limit) -%}
            {%- do problems.append("var max_text_length gives '" ~ limit ~ "' for " ~ column
                ~ "; it must be a whole number >= 1") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set currency = var('reporting_currency') -%}
    {%- if currency is not none and not (currency is string and modules.re.match('^[A-Za-z]{3}$', currency)) -%}
        {%- do problems.append("var reporting_currency is '" ~ currency ~ "'; it must be a 3-letter currency code or null") -%}
    {%- endif -%}
    {%- for name in ['raw_path', 'raw_schema'] if not (var(name) is string and var(name) | length > 0) -%}
        {%- do problems.append("var " ~ name ~ " must be a non-empty text") -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- A real calendar date written YYYY-MM-DD (a YAML date counts too). -#}
{% macro is_iso_date(value) -%}
    {%- set text = value | string -%}
    {%- if not modules.re.match('^\\d{4}-\\d{2}-\\d{2}$', text) -%}{{ return(false) }}{%- endif -%}
    {%- set parts = text.split('-') | map('int') | list -%}
    {%- if parts[1] < 1 or parts[1] > 12 or parts[2] < 1 -%}{{ return(false) }}{%- endif -%}
    {%- set next_month = modules.datetime.date(parts[0] + (1 if parts[1] == 12 else 0), parts[1] % 12 + 1, 1) -%}
    {%- set month_days = (next_month - modules.datetime.timedelta(days=1)).day -%}
    {{ return(parts[2] <= month_days) }}
{%- endmacro %}

{#- source_timezone and reporting_timezone must be IANA zone names (the
    tz database that both Python and the engines use). -#}
{% macro timezone_problems() -%}
    {%- set problems = [] -%}
    {%- for name in ['source_timezone', 'reporting_timezone'] -%}
        {%- set zone = var(name) | string -%}
        {%- if zone not in modules.pytz.all_timezones_set -%}
            {%- do problems.append("var " ~ name ~ " is '" ~ zone ~ "', which is not a time zone name (e.g. UTC, Asia/Shanghai)") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- The raw relations as the contract needs them: raw_users and one of
    raw_events and raw_orders present, every required column there. -#}
{% macro raw_data_problems() -%}
    {%- set problems = [] -%}
    {%- set where = ("in folder " ~ var('raw_path')) if var('raw_source') == 'files' else ("in schema " ~ var('raw_schema')) -%}
    {%- if var('raw_source') == 'files' -%}
        {%- set folder = (var('raw_path') | string).rstrip('/') -%}
        {#- files, or folders of parts (glob lists files only) -#}
        {%- set entries = run_query("select count(*) from glob(" ~ sql_values([glob_literal(folder) ~ '/*']) ~ ") union all select count(*) from glob(" ~ sql_values([glob_literal(folder) ~ '/*/*']) ~ ") order by 1 desc limit 1").columns[0].values()[0] -%}
        {%- if entries == 0 -%}
            {{ return(["var raw_path is '" ~ folder ~ "', which does not exist or holds no files; raw_source files "
                ~ "needs a folder with raw_users and at least one of raw_events and raw_orders"]) }}
        {%- endif -%}
        {%- for skip in raw_file_discovery().skipped -%}
            {{ log("raw_path: skipped " ~ skip.file ~ " (" ~ skip.reason ~ "); listed in data_quality_files", info=true) }}
        {%- endfor -%}
    {%- endif -%}
    {%- set present = {} -%}
    {%- for name, contract in raw_contract().items() -%}
        {%- set relation = raw_relation(name) -%}
        {%- do present.update({name: relation is not none}) -%}
        {%- if relation is not none -%}
            {%- set columns = raw_columns(relation, contract.required + contract.optional) -%}
            {%- for column in contract.required if column not in columns -%}
                {%- do problems.append("raw relation " ~ name ~ " has no column '" ~ column ~ "' (required: "
                    ~ contract.required | join(', ') ~ "; found: " ~ columns.keys() | list | join(', ') ~ ")") -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not present['raw_users'] -%}
        {%- do problems.append("raw relation raw_users was not found " ~ where ~ "; it is required") -%}
    {%- endif -%}
    {%- if not present['raw_events'] and not present['raw_orders'] -%}
        {%- do problems.append("neither raw_events nor raw_orders was found " ~ where ~ "; at least one is required") -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}
