{{ config(severity='error') }}
-- Fails the build (and so blocks publishing) when any invariant in rpt_qa_summary has status fail.
select
    check_name,
    scope,
    observed,
    expected
from {{ ref('rpt_qa_summary') }}
where status = 'fail'
