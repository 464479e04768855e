"""The one vocabulary of SUPPORT TYPE and TYPE (seeds/ice/value_vocabulary.csv) feeds the GX suites.

dbt reads the same seed (macros/normalize.sql, int_ice_values_resolved); these tests pin what the
GX side takes from it and the seed's own shape, so the two can never hold different lists again.
"""

from __future__ import annotations

import csv

from ingest.project import project_dir
from ingest.validation.suites import ice


def _rows() -> list[dict[str, str]]:
    with project_dir().joinpath(*ice.VOCABULARY_SEED).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_gx_suites_take_the_exact_words_of_the_seed():
    assert ice.exact_words("support_type") == ("Jail Enforcement Model", "Task Force Model", "Warrant Service Officer")
    assert ice.exact_words("agency_type") == ("County", "Municipality", "State Agency", "State")
    values = {}
    for spec in ice.suites():
        for expectation in spec.expectations:
            if (expectation.label or "").endswith("_outside_vocabulary"):
                values.setdefault(expectation.label, set()).add(tuple(expectation.kwargs["value_set"]))  # sorted
    assert values == {
        "support_type_outside_vocabulary": {tuple(sorted(ice.exact_words("support_type")))},
        "agency_type_outside_vocabulary": {tuple(sorted(ice.exact_words("agency_type")))},
    }


def test_seed_words_are_unique_case_insensitively_and_resolve_to_exact_words():
    rows = _rows()
    keys = [(r["column_name"], r["word"].lower()) for r in rows]
    assert len(keys) == len(set(keys))
    exact = {(r["column_name"], r["resolved_to"]) for r in rows if r["tier"] == "exact"}
    assert all((r["column_name"], r["resolved_to"]) in exact for r in rows)
    assert {r["tier"] for r in rows} == {"exact", "short_form", "known_variant"}
    codes = {r["resolved_to"]: r["resolved_code"] for r in rows if r["column_name"] == "support_type"}
    assert codes == {"Jail Enforcement Model": "JEM", "Task Force Model": "TFM", "Warrant Service Officer": "WSO"}
