{#- History that builds record (docs/rules/tags.md#history): the tag snapshot
    and tag_history_builds. -#}

{#- The table an earlier build wrote for a node of this project (a snapshot or
    a model), found by name without ref(): the models that decide whether
    this build may add to history run before the history itself, so a ref()
    would be a cycle. none when no build has written it yet. -#}
{% macro recorded_history(name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set nodes = graph.nodes.values() | selectattr('name', 'equalto', name)
        | selectattr('resource_type', 'in', ['model', 'snapshot']) | list -%}
    {%- if nodes | length != 1 -%}
        {{ exceptions.raise_compiler_error("recorded_history: no single model or snapshot named '" ~ name ~ "'") }}
    {%- endif -%}
    {%- set node = nodes[0] -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}
