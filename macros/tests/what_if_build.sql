{#- Says so (as a warning) when a build leaves history untouched because its
    as_of_date is before the latest one history recorded
    (docs/rules/tags.md#history): one row naming both dates. -#}
{% test what_if_build_leaves_history_untouched(model) %}
select
    'what-if build: as_of_date ' || cast(as_of_date as {{ dbt.type_string() }})
    || ' is before ' || cast(last_recorded_as_of_date as {{ dbt.type_string() }})
    || ', the latest in history; the tag snapshot and tag_history_builds are left untouched' as message
from {{ model }}
where not advances_history
{% endtest %}
