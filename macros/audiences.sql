{#- Audiences (docs/audiences.md): each rule of seed audiences is a boolean expression
    over tag ids (and, or, not, parentheses; not binds tightest, then and,
    then or). It is parsed here, never pasted into SQL: every word must be a
    keyword or a known tag id, and the expression becomes set operations over
    user_tags (a tag = its users; and = intersect; or = union; not = every
    user except). A malformed rule or an unknown tag gives a problem naming
    the audience, which fails the build. -#}

{#- Parse one rule: {'sql': set expression or none, 'tags': tag ids named,
    'problem': none or what is wrong}. -#}
{% macro parse_audience_rule(rule, known_tags, users_relation, tags_relation) -%}
    {%- set tokens = modules.re.findall('[()]|[^\\s()]+', rule or '') -%}
    {%- set state = {'pos': 0, 'problem': none, 'tags': [], 'tokens': tokens, 'known': known_tags,
                     'users': users_relation, 'user_tags': tags_relation, 'depth': 0} -%}
    {%- if tokens | length == 0 -%}
        {%- do state.update({'problem': 'the rule is empty'}) -%}
        {{ return({'sql': none, 'tags': [], 'problem': state.problem}) }}
    {%- endif -%}
    {%- set sql = audience_or(state) -%}
    {%- if state.problem is none and state.pos < tokens | length -%}
        {%- do state.update({'problem': "unexpected '" ~ tokens[state.pos] ~ "' at word " ~ (state.pos + 1)
            ~ (" (a closing parenthesis without its opening one)" if tokens[state.pos] == ')' else
               " (two operands need and or or between them)")}) -%}
    {%- endif -%}
    {{ return({'sql': sql if state.problem is none else none, 'tags': state.tags | unique | list,
               'problem': state.problem}) }}
{%- endmacro %}

{#- How deep brackets and nots may nest in a rule. Each level is a few
    macro calls deep, so a rule nested much deeper would exhaust Python's
    recursion limit with a message naming nothing; 20 is far more than any
    audience needs. -#}
{% macro audience_rule_max_depth() -%}
    {{ return(20) }}
{%- endmacro %}

{#- or-list: and-terms joined by union. -#}
{% macro audience_or(state) -%}
    {%- set result = {'sql': audience_and(state)} -%}
    {%- for _ in state.tokens -%}
        {%- if state.problem is none and state.pos < state.tokens | length
            and state.tokens[state.pos] | lower == 'or' -%}
            {%- do state.update({'pos': state.pos + 1}) -%}
            {%- set right = audience_and(state) -%}
            {%- do result.update({'sql': audience_set_operation(result.sql, 'union', right)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result.sql) }}
{%- endmacro %}

{#- and-list: factors joined by intersect. -#}
{% macro audience_and(state) -%}
    {%- set result = {'sql': audience_factor(state)} -%}
    {%- for _ in state.tokens -%}
        {%- if state.problem is none and state.pos < state.tokens | length
            and state.tokens[state.pos] | lower == 'and' -%}
            {%- do state.update({'pos': state.pos + 1}) -%}
            {%- set right = audience_factor(state) -%}
            {%- do result.update({'sql': audience_set_operation(result.sql, 'intersect', right)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result.sql) }}
{%- endmacro %}

{#- A factor: not factor, ( or-list ), or a known tag id. -#}
{% macro audience_factor(state) -%}
    {%- if state.problem is not none -%}{{ return(none) }}{%- endif -%}
    {%- if state.pos >= state.tokens | length -%}
        {%- do state.update({'problem': "the rule ends where a tag, 'not' or '(' should follow"
            ~ (" '" ~ state.tokens[-1] ~ "'" if state.tokens else "")}) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set token = state.tokens[state.pos] -%}
    {%- do state.update({'pos': state.pos + 1}) -%}
    {%- if token | lower == 'not' or token == '(' -%}
        {%- if state.depth >= audience_rule_max_depth() -%}
            {%- do state.update({'problem': "nested deeper than " ~ audience_rule_max_depth()
                ~ " brackets and nots (at word " ~ state.pos ~ "): write it flatter"}) -%}
            {{ return(none) }}
        {%- endif -%}
        {%- do state.update({'depth': state.depth + 1}) -%}
    {%- endif -%}
    {%- if token | lower == 'not' -%}
        {%- set inner = audience_factor(state) -%}
        {%- do state.update({'depth': state.depth - 1}) -%}
        {{ return(audience_set_operation('select user_id from ' ~ state.users, 'except', inner)) }}
    {%- elif token == '(' -%}
        {%- set inner = audience_or(state) -%}
        {%- do state.update({'depth': state.depth - 1}) -%}
        {%- if state.problem is none -%}
            {%- if state.pos < state.tokens | length and state.tokens[state.pos] == ')' -%}
                {%- do state.update({'pos': state.pos + 1}) -%}
            {%- else -%}
                {%- do state.update({'problem': "a '(' is never closed"}) -%}
            {%- endif -%}
        {%- endif -%}
        {{ return(inner) }}
    {%- elif token == ')' or token | lower in ['and', 'or'] -%}
        {%- do state.update({'problem': "unexpected '" ~ token ~ "' at word " ~ state.pos
            ~ " where a tag, 'not' or '(' should be"}) -%}
        {{ return(none) }}
    {%- elif token not in state.known -%}
        {%- do state.update({'problem': "unknown tag '" ~ token ~ "' (tags are the tag_id values of seed tag_definitions)"}) -%}
        {{ return(none) }}
    {%- else -%}
        {%- do state.tags.append(token) -%}
        {{ return('select user_id from ' ~ state.user_tags ~ ' where tag_id = ' ~ sql_values([token])) }}
    {%- endif -%}
{%- endmacro %}

{#- Two user sets combined: each side is a subquery of its own. -#}
{% macro audience_set_operation(left, operation, right) -%}
    {%- if left is none or right is none -%}{{ return(none) }}{%- endif -%}
    {{ return('select user_id from (' ~ left ~ ') as lhs ' ~ operation ~ ' select user_id from (' ~ right ~ ') as rhs') }}
{%- endmacro %}

{#- The audiences of the seed with their parsed rules, or a compile error
    naming every audience whose rule is wrong. -#}
{% macro audience_definitions(users_relation, tags_relation) -%}
    {#- sqlfluff lints against an empty in-memory target: no seeds to read there -#}
    {%- if not execute or target.name == 'lint' -%}{{ return([]) }}{%- endif -%}
    {%- set known = run_query('select tag_id from ' ~ ref('tag_definitions')).columns[0].values() | list -%}
    {%- set rows = run_query('select audience_id, rule from ' ~ ref('audiences') ~ ' order by audience_id') -%}
    {%- set audiences, problems = [], [] -%}
    {%- for row in rows -%}
        {%- set parsed = parse_audience_rule(row['rule'], known, users_relation, tags_relation) -%}
        {%- if parsed.problem -%}
            {%- do problems.append("audience '" ~ row['audience_id'] ~ "' (rule: " ~ row['rule'] ~ "): " ~ parsed.problem) -%}
        {%- else -%}
            {%- do audiences.append({'audience_id': row['audience_id'], 'sql': parsed.sql, 'tags': parsed.tags}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("seed audiences:\n  - " ~ problems | join("\n  - ")) }}
    {%- endif -%}
    {{ return(audiences) }}
{%- endmacro %}

{#- Check audience rules before adding them to the seed:
    dbt run-operation check_audience_rules --args '{rules: ["big_spender and not lifecycle_new"]}'
    Logs one line per rule: ok and the tags it names, or the problem. -#}
{% macro check_audience_rules(rules) -%}
    {%- set known = run_query('select tag_id from ' ~ ref('tag_definitions')).columns[0].values() | list -%}
    {%- for rule in rules -%}
        {%- set parsed = parse_audience_rule(rule, known, 'users', 'user_tags') -%}
        {{ log(tojson({'rule': rule, 'problem': parsed.problem, 'tags': parsed.tags, 'sql': parsed.sql}), info=true) }}
    {%- endfor -%}
{%- endmacro %}
