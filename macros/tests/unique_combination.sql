{% test unique_combination(model, columns) %}
{#- Fails on every combination of `columns` that occurs more than once (a composite primary key test). -#}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
