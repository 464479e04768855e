"""tools/architecture_check.py fails on each kind of finding, on small synthetic manifests."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("architecture_check", REPO / "tools" / "architecture_check.py")
arch = importlib.util.module_from_spec(_spec)
sys.modules["architecture_check"] = arch  # dataclasses look their module up
_spec.loader.exec_module(arch)


def _model(
    name: str, folder: str, parents=(), *, description="Grain: one thing.", contract=False, schema=None, columns=None
):
    return {
        "resource_type": "model",
        "name": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "description": description,
        "depends_on": {"nodes": list(parents)},
        "config": {"contract": {"enforced": contract}, "schema": schema},
        "columns": columns or {},
        "constraints": [],
    }


def _pk_test(model: str, kind: str = "unique_combination", column: str | None = None) -> dict:
    return {
        "resource_type": "test",
        "attached_node": f"model.p.{model}",
        "column_name": column,
        "test_metadata": {"name": kind, "kwargs": {}},
        "depends_on": {"nodes": [f"model.p.{model}"]},
    }


PK_COLUMNS = {"thing_id": {"constraints": [{"type": "not_null"}, {"type": "primary_key"}]}}


def _good() -> dict:
    nodes = {
        "source.p.raw.things": {"resource_type": "source", "name": "things"},
        "model.p.stg_raw__things": _model("stg_raw__things", "staging/raw", ["source.p.raw.things"]),
        "model.p.int_things_joined": _model("int_things_joined", "intermediate/things", ["model.p.stg_raw__things"]),
        "model.p.dim_things": _model(
            "dim_things",
            "marts/things",
            ["model.p.int_things_joined"],
            contract=True,
            schema="marts",
            columns=PK_COLUMNS,
        ),
        "model.p.qa_things__counted": _model("qa_things__counted", "qa/things", ["model.p.dim_things"]),
        "model.p.rpt_qa_summary": _model(
            "rpt_qa_summary", "qa", ["model.p.qa_things__counted"], contract=True, schema="marts"
        ),
        "test.p.u1": _pk_test("stg_raw__things", "unique", "thing_id"),
        "test.p.n1": _pk_test("stg_raw__things", "not_null", "thing_id"),
        "test.p.c2": _pk_test("int_things_joined"),
        "test.p.c3": _pk_test("qa_things__counted"),
        "test.p.c4": _pk_test("rpt_qa_summary"),
    }
    return {"nodes": nodes}


def _rules(manifest: dict) -> list[tuple[str, str]]:
    return [(f.rule, f.model) for f in arch.check(manifest)]


def test_a_well_layered_manifest_has_no_findings():
    assert _rules(_good()) == []


def test_intermediate_reading_a_source_is_a_finding():
    m = _good()
    m["nodes"]["model.p.int_things_joined"]["depends_on"]["nodes"].append("source.p.raw.things")
    assert _rules(m) == [("source_outside_staging", "int_things_joined")]


def test_mart_reading_a_source_is_a_finding():
    m = _good()
    m["nodes"]["model.p.dim_things"]["depends_on"]["nodes"].append("source.p.raw.things")
    assert _rules(m) == [("source_outside_staging", "dim_things")]


def test_intermediate_reading_a_mart_is_a_finding():
    m = _good()
    m["nodes"]["model.p.int_things_joined"]["depends_on"]["nodes"] = ["model.p.dim_things"]
    assert ("later_layer_ref", "int_things_joined") in _rules(m)


def test_mart_reading_a_qa_check_is_a_finding():
    m = _good()
    m["nodes"]["model.p.dim_things"]["depends_on"]["nodes"].append("model.p.qa_things__counted")
    assert _rules(m) == [("later_layer_ref", "dim_things")]


def test_staging_reading_a_model_is_a_finding():
    m = _good()
    m["nodes"]["model.p.stg_raw__things"]["depends_on"]["nodes"].append("model.p.int_things_joined")
    assert _rules(m) == [("staging_reads_model", "stg_raw__things")]


def test_a_model_outside_the_layer_folders_is_a_finding():
    m = _good()
    m["nodes"]["model.p.int_things_joined"]["original_file_path"] = "models/misc/int_things_joined.sql"
    assert _rules(m) == [("unknown_layer", "int_things_joined")]


def test_a_model_without_description_is_a_finding():
    m = _good()
    m["nodes"]["model.p.int_things_joined"]["description"] = "  "
    assert _rules(m) == [("missing_description", "int_things_joined")]


@pytest.mark.parametrize("drop", ["test.p.u1", "test.p.n1"])
def test_unique_without_not_null_or_the_reverse_is_no_primary_key(drop):
    m = _good()
    del m["nodes"][drop]
    assert _rules(m) == [("missing_primary_key", "stg_raw__things")]


def _with_column_checks(m: dict, column: str, checks: list) -> None:
    """stg_raw__things' not_null test replaced by a check its column declares for column_checks."""
    del m["nodes"]["test.p.n1"]
    m["nodes"]["model.p.stg_raw__things"]["columns"] = {column: {"config": {"meta": {"checks": checks}}}}
    m["nodes"]["test.p.cc"] = _pk_test("stg_raw__things", "column_checks")


def test_a_not_null_check_in_the_column_checks_test_counts_for_the_primary_key():
    m = _good()
    _with_column_checks(m, "thing_id", ["not_null", {"accepted_values": ["a", "b"]}])
    assert _rules(m) == []


@pytest.mark.parametrize(
    ("column", "checks", "keep_test"),
    [
        ("thing_id", [{"accepted_values": ["a"]}], True),  # declared, but not not_null
        ("other_id", ["not_null"], True),  # not_null on another column than the unique one
        ("thing_id", ["not_null"], False),  # declared, but no column_checks test runs it
    ],
)
def test_a_column_check_counts_only_as_not_null_on_the_unique_column_with_the_test(column, checks, keep_test):
    m = _good()
    _with_column_checks(m, column, checks)
    if not keep_test:
        del m["nodes"]["test.p.cc"]
    assert _rules(m) == [("missing_primary_key", "stg_raw__things")]


@pytest.mark.parametrize(("columns", "keyed"), [(["check_name", "scope"], True), (["check_name"], False)])
def test_a_qa_check_is_keyed_by_the_summarys_check_name_scope_test(columns, keyed):
    m = _good()
    del m["nodes"]["test.p.c3"]
    m["nodes"]["test.p.c4"]["test_metadata"]["kwargs"] = {"columns": columns}
    assert _rules(m) == ([] if keyed else [("missing_primary_key", "qa_things__counted")])


def test_unique_and_not_null_on_different_columns_is_no_primary_key():
    m = _good()
    m["nodes"]["test.p.n1"]["column_name"] = "other_id"
    assert _rules(m) == [("missing_primary_key", "stg_raw__things")]


def test_a_model_without_any_key_test_is_a_finding():
    m = _good()
    del m["nodes"]["test.p.c2"]
    assert _rules(m) == [("missing_primary_key", "int_things_joined")]


def test_an_enforced_primary_key_constraint_is_a_primary_key_but_not_without_the_contract():
    m = _good()
    assert ("missing_primary_key", "dim_things") not in _rules(m)
    m["nodes"]["model.p.dim_things"]["config"]["contract"]["enforced"] = False
    assert ("missing_primary_key", "dim_things") in _rules(m)


def test_a_model_level_primary_key_constraint_counts():
    m = _good()
    node = m["nodes"]["model.p.dim_things"]
    node["columns"] = {}
    node["constraints"] = [{"type": "primary_key", "columns": ["a", "b"]}]
    assert _rules(m) == []


def test_a_mart_without_an_enforced_contract_is_a_finding():
    m = _good()
    m["nodes"]["model.p.dim_things"]["config"]["contract"]["enforced"] = False
    m["nodes"]["test.p.c5"] = _pk_test("dim_things")
    assert _rules(m) == [("mart_without_contract", "dim_things")]


def test_a_model_built_into_the_published_schema_needs_a_contract_wherever_it_lives():
    m = _good()
    m["nodes"]["model.p.rpt_qa_summary"]["config"]["contract"]["enforced"] = False
    assert _rules(m) == [("mart_without_contract", "rpt_qa_summary")]


@pytest.mark.parametrize(
    ("uid", "new_name"),
    [
        ("model.p.stg_raw__things", "raw_things"),
        ("model.p.int_things_joined", "things_joined"),
        ("model.p.dim_things", "things"),
        ("model.p.qa_things__counted", "int_qa__things"),
    ],
)
def test_a_name_without_its_layer_prefix_is_a_finding(uid, new_name):
    m = _good()
    m["nodes"][uid]["name"] = new_name
    assert _rules(m) == [("layer_prefix", new_name)]


def test_an_exception_silences_exactly_its_finding_and_a_stale_one_is_a_finding():
    m = _good()
    m["nodes"]["model.p.int_things_joined"]["depends_on"]["nodes"] = ["model.p.dim_things"]
    findings = arch.check(m)
    excused = [{"rule": "later_layer_ref", "model": "int_things_joined", "reason": "reviewed"}]
    assert arch.apply_exceptions(findings, excused) == []
    stale = [*excused, {"rule": "missing_description", "model": "dim_things", "reason": "old"}]
    assert [(f.rule, f.model) for f in arch.apply_exceptions(findings, stale)] == [("stale_exception", "dim_things")]


def test_an_exception_needs_a_reason_and_a_known_rule(tmp_path):
    path = tmp_path / "exceptions.yml"
    path.write_text("exceptions:\n  - {rule: later_layer_ref, model: x}\n")
    with pytest.raises(ValueError, match="reason"):
        arch.load_exceptions(path)
    path.write_text("exceptions:\n  - {rule: no_such_rule, model: x, reason: y}\n")
    with pytest.raises(ValueError, match="unknown rule"):
        arch.load_exceptions(path)


def test_main_exits_non_zero_on_a_finding_and_zero_when_clean(tmp_path, capsys):
    bad = copy.deepcopy(_good())
    bad["nodes"]["model.p.int_things_joined"]["description"] = ""
    none = tmp_path / "none.yml"
    none.write_text("exceptions: []\n")
    for manifest, code in ((_good(), 0), (bad, 1)):
        path = tmp_path / "manifest.json"
        path.write_text(json.dumps(manifest))
        assert arch.main(["--manifest", str(path), "--exceptions", str(none)]) == code
    assert "missing_description: int_things_joined" in capsys.readouterr().out


def test_the_projects_exceptions_file_is_well_formed():
    for entry in arch.load_exceptions(arch.DEFAULT_EXCEPTIONS):
        assert entry["reason"].strip()


def test_unique_and_not_null_checks_in_the_column_checks_test_are_a_primary_key():
    m = _good()
    del m["nodes"]["test.p.u1"]
    _with_column_checks(m, "thing_id", ["not_null", "unique"])
    assert _rules(m) == []
    m["nodes"]["model.p.stg_raw__things"]["columns"]["thing_id"]["config"]["meta"]["checks"] = ["unique"]
    assert _rules(m) == [("missing_primary_key", "stg_raw__things")]


@pytest.mark.parametrize(("arguments", "keyed"), [({"unique_combinations": [["a", "b"]]}, True), ({}, False)])
def test_a_key_the_column_checks_test_lists_is_a_primary_key(arguments, keyed):
    m = _good()
    del m["nodes"]["test.p.c2"]
    m["nodes"]["test.p.cc2"] = _pk_test("int_things_joined", "column_checks")
    m["nodes"]["test.p.cc2"]["test_metadata"]["kwargs"] = arguments
    assert _rules(m) == ([] if keyed else [("missing_primary_key", "int_things_joined")])


def test_the_qa_key_may_be_listed_in_the_summarys_column_checks_test():
    m = _good()
    del m["nodes"]["test.p.c3"], m["nodes"]["test.p.c4"]
    m["nodes"]["test.p.cc4"] = _pk_test("rpt_qa_summary", "column_checks")
    m["nodes"]["test.p.cc4"]["test_metadata"]["kwargs"] = {"unique_combinations": [["check_name", "scope"]]}
    assert _rules(m) == []
