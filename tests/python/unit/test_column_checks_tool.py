"""tools/column_checks.py folds plain column tests into column_checks, and tools/assertions.py counts a
folded check as the test it replaced (CONTRIBUTING "Tests and contracts")."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _load("column_checks")
assertions = _load("assertions")

BEFORE = """\
version: 2

models:
  - name: stg_things
    description: "Grain: one thing."
    columns:
      - name: thing_id
        description: The id.
        data_tests: [unique, not_null]
      - name: kind
        description: The kind.
        data_tests:
          - not_null
          - accepted_values:
              arguments:
                values: [a, "yes", b c]
          - relationships:
              arguments: {to: ref('kinds'), field: kind}
      - name: share
        data_tests:
          - value_between:
              arguments: {min_value: 0, max_value: 1}
          - not_null:
              config:
                severity: warn
                where: "kind = 'a'"

  - name: dim_things
    config:
      contract: {enforced: true}
    data_tests:
      - unique_combination:
          arguments:
            columns: [thing_id]
    columns:
      - {name: thing_id, data_type: varchar, constraints: [{type: not_null}]}
      - {name: kind, data_type: varchar, data_tests: [not_null, {accepted_values: {arguments: {values: [a]}}}]}
sources:
  - name: raw
    tables:
      - name: things
        columns:
          - {name: _row_number, description: Row., data_tests: [not_null]}
"""


def _columns(doc: dict, kind: str, name: str) -> dict:
    entries = doc[kind] if kind != "sources" else doc["sources"][0]["tables"]
    node = next(n for n in entries if n["name"] == name)
    return node, {c["name"]: c for c in node["columns"]}


def test_plain_tests_move_to_their_columns_checks_and_configured_ones_stay(tmp_path):
    path = tmp_path / "_things__models.yml"
    path.write_text(BEFORE)
    assert tool.main(["--check", str(path)]) == 1
    tool.main([str(path)])
    assert tool.main(["--check", str(path)]) == 0
    doc = yaml.safe_load(path.read_text())  # PyYAML, as dbt reads it: "yes" stays a string

    node, cols = _columns(doc, "models", "stg_things")  # a relationship: an argument (its ref is the edge)
    assert node["data_tests"] == [
        {"column_checks": {"arguments": {"relationships": [{"column": "kind", "to": "ref('kinds')", "field": "kind"}]}}}
    ]
    assert cols["thing_id"]["config"]["meta"]["checks"] == ["unique", "not_null"]
    assert "data_tests" not in cols["thing_id"]
    assert cols["kind"]["config"]["meta"]["checks"] == ["not_null", {"accepted_values": ["a", "yes", "b c"]}]
    assert "data_tests" not in cols["kind"]
    assert cols["share"]["config"]["meta"]["checks"] == [{"value_between": {"min_value": 0, "max_value": 1}}]
    assert cols["share"]["data_tests"] == [{"not_null": {"config": {"severity": "warn", "where": "kind = 'a'"}}}]

    node, cols = _columns(doc, "models", "dim_things")  # enforced: not_null is contract_tests.py's
    assert node["data_tests"] == [{"column_checks": {"arguments": {"unique_combinations": [["thing_id"]]}}}]
    assert cols["kind"]["data_tests"] == ["not_null"]
    assert cols["kind"]["config"]["meta"]["checks"] == [{"accepted_values": ["a"]}]

    node, cols = _columns(doc, "sources", "things")
    assert node["data_tests"] == ["column_checks"]
    assert cols["_row_number"] == {
        "name": "_row_number",
        "description": "Row.",
        "config": {"meta": {"checks": ["not_null"]}},
    }


def test_a_new_plain_test_beside_folded_checks_is_flagged_and_merged(tmp_path):
    path = tmp_path / "_things__models.yml"
    path.write_text(BEFORE)
    tool.main([str(path)])
    share = "      - name: share\n        config: {meta: {checks: [{value_between: {min_value: 0, max_value: 1}}]}}\n"
    text = path.read_text()
    assert share + "        data_tests:\n" in text
    path.write_text(
        text.replace(share + "        data_tests:\n", share + "        data_tests:\n          - not_null\n")
    )
    assert tool.findings(path) == ["stg_things: 1 plain column test(s) to fold into column_checks"]
    tool.main([str(path)])
    assert tool.findings(path) == []
    _, cols = _columns(yaml.safe_load(path.read_text()), "models", "stg_things")
    assert cols["share"]["config"]["meta"]["checks"] == [
        {"value_between": {"min_value": 0, "max_value": 1}},
        "not_null",
    ]
    assert cols["share"]["data_tests"] == [{"not_null": {"config": {"severity": "warn", "where": "kind = 'a'"}}}]


def test_a_not_null_or_relationship_whose_config_is_a_where_folds_with_its_where(tmp_path):
    path = tmp_path / "_x__models.yml"
    path.write_text(
        "version: 2\nmodels:\n  - name: x\n    columns:\n      - name: a\n        data_tests:\n"
        "          - not_null:\n              config:\n                where: \"b = 'ok'\"\n"
        "          - relationships:\n              arguments: {to: ref('p'), field: a}\n"
        "              config: {where: \"a <> 'XX'\", severity: error}\n"
    )
    tool.main([str(path)])
    assert tool.findings(path) == []
    node, cols = _columns(yaml.safe_load(path.read_text()), "models", "x")
    assert cols["a"] == {"name": "a", "config": {"meta": {"checks": [{"not_null": {"where": "b = 'ok'"}}]}}}
    relationship = {"column": "a", "to": "ref('p')", "field": "a", "where": "a <> 'XX'"}
    assert node["data_tests"] == [{"column_checks": {"arguments": {"relationships": [relationship]}}}]


def test_a_column_checks_test_without_checks_is_flagged(tmp_path):
    path = tmp_path / "_x__models.yml"
    path.write_text(
        "version: 2\nmodels:\n  - name: x\n    data_tests: [column_checks]\n    columns:\n      - name: a\n"
    )
    assert tool.findings(path) == ["x: a column_checks test without any column checks: remove it"]


def test_a_folded_check_is_the_same_assertion_as_the_test_it_replaced():
    column = {"kind": {"config": {"meta": {"checks": ["not_null", {"accepted_values": ["a"]}]}}}}
    before = {
        "nodes": {
            "model.p.m": {"resource_type": "model", "columns": {"kind": {}}},
            "test.p.nn": _test("not_null", {"column_name": "kind", "model": "x"}, "kind"),
            "test.p.av": _test("accepted_values", {"column_name": "kind", "values": ["a"], "model": "x"}, "kind"),
        }
    }
    after = {
        "nodes": {
            "model.p.m": {"resource_type": "model", "columns": column},
            "test.p.cc": _test("column_checks", {"model": "x"}, None),
        }
    }
    assert assertions.assertions(before) == assertions.assertions(after)
    after["nodes"]["model.p.m"]["columns"]["kind"]["config"]["meta"]["checks"].pop()
    assert assertions.assertions(before) != assertions.assertions(after)


def test_a_plain_unique_on_an_enforced_model_stays_for_contract_tests(tmp_path):
    path = tmp_path / "_x__models.yml"
    text = (
        "version: 2\nmodels:\n  - name: x\n    config:\n      contract: {enforced: true}\n    columns:\n"
        "      - {name: a, data_type: varchar, data_tests: [unique, {accepted_values: {arguments: {values: [v]}}}]}\n"
    )
    path.write_text(text)
    tool.main([str(path)])
    _, cols = _columns(yaml.safe_load(path.read_text()), "models", "x")
    assert cols["a"]["data_tests"] == ["unique"]
    path.write_text(
        text.replace(
            "data_tests: [unique, {accepted_values: {arguments: {values: [v]}}}]", "config: {meta: {checks: [unique]}}"
        ).replace("    columns:", "    data_tests: [column_checks]\n    columns:")
    )
    assert tool.findings(path) == [
        "x.a: a unique check on a model with an enforced contract: declare it as a data test,"
        " which tools/contract_tests.py makes a constraint"
    ]


def test_keys_and_relationships_in_the_test_are_the_assertions_of_the_tests_they_replaced():
    before = {
        "nodes": {
            "model.p.m": {"resource_type": "model", "columns": {"id": {}, "kind": {}}},
            "test.p.u": _test("unique", {"column_name": "id", "model": "x"}, "id"),
            "test.p.uc": _test("unique_combination", {"columns": ["id", "kind"], "model": "x"}, None),
            "test.p.r": _test(
                "relationships", {"column_name": "kind", "to": "ref('k')", "field": "k", "model": "x"}, "kind"
            ),
        }
    }
    arguments = {
        "model": "x",
        "unique_combinations": [["id", "kind"]],
        "relationships": [{"column": "kind", "to": "ref('k')", "field": "k"}],
    }
    after = {
        "nodes": {
            "model.p.m": {
                "resource_type": "model",
                "columns": {"id": {"config": {"meta": {"checks": ["unique"]}}}, "kind": {}},
            },
            "test.p.cc": _test("column_checks", arguments, None),
        }
    }
    assert assertions.assertions(before) == assertions.assertions(after)
    before["nodes"]["test.p.r"]["config"]["where"] = "kind <> 'XX'"
    assert assertions.assertions(before) != assertions.assertions(after)
    arguments["relationships"][0]["where"] = "kind <> 'XX'"
    assert assertions.assertions(before) == assertions.assertions(after)
    arguments["relationships"][0]["field"] = "other"
    assert assertions.assertions(before) != assertions.assertions(after)


def _test(name: str, kwargs: dict, column: str | None) -> dict:
    return {
        "resource_type": "test",
        "name": name,
        "attached_node": "model.p.m",
        "column_name": column,
        "test_metadata": {"name": name, "kwargs": kwargs},
        "config": {"severity": "ERROR"},
    }
