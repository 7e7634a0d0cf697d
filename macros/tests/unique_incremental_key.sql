{#- The unique_key of an incremental model written by delete+insert: every
    run first deletes the stored rows whose key it writes, so the key is
    unique in the table when it is unique among the rows of the latest run
    (load_batch), and only those are scanned. A first or full build writes
    every row in one run, so it checks them all. -#}
{% test unique_incremental_key(model, column_name) %}
select
    {{ column_name }},
    count(*) as occurrences
from {{ model }}
where load_batch = (select max(load_batch) from {{ model }})
group by {{ column_name }}
having count(*) > 1
{% endtest %}
