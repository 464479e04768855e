{% test value_between(model, column_name, min_value, max_value) %}
{#- Fails on every row whose column is outside [min_value, max_value] (nulls pass; test them with not_null). -#}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
