{#- The unique_key of an incremental model written by delete+insert: every
    run first deletes the stored rows whose key it writes, so the key is
    unique in the table when it is unique among the rows of the latest run
    (loaded_at), and only those are scanned. A first or full build writes
    every row in one run, so it checks them all. -#}
{% test unique_incremental_key(model, column_name) %}
select
    {{ column_name }},
    count(*) as occurrences
from {{ model }}
where loaded_at = (select max(loaded_at) from {{ model }})
group by {{ column_name }}
having count(*) > 1
{% endtest %}
