"""ingest/dictionary.py's primary key: a primary_key constraint, else a unique_combination (its own test or
a key the column_checks test lists), else the first unique column (its own test or a unique check)."""

from __future__ import annotations

from ingest.dictionary import _primary_key


def _test(name: str, kwargs: dict | None = None, column: str | None = None) -> dict:
    return {"test_metadata": {"name": name, "kwargs": kwargs or {}}, "column_name": column}


def _node(checks: dict[str, list] | None = None, constraints: list | None = None) -> dict:
    columns = {name: {"config": {"meta": {"checks": c}}} for name, c in (checks or {}).items()}
    return {"columns": columns, "constraints": constraints or []}


def test_a_key_listed_in_column_checks_is_the_key_as_its_own_test_was():
    own = _primary_key(_node(), [_test("unique_combination", {"columns": ["a", "b"]})])
    listed = _primary_key(_node(), [_test("column_checks", {"unique_combinations": [["a", "b"]]})])
    assert own == listed == ["a", "b"]


def test_the_first_key_in_dbts_test_name_order_wins_wherever_it_is_declared():
    keys = {"unique_combinations": [["b", "x"], ["a", "y"]]}
    assert _primary_key(_node(), [_test("column_checks", keys)]) == ["a", "y"]
    tests = [
        _test("column_checks", {"unique_combinations": [["b", "x"]]}),
        _test("unique_combination", {"columns": ["a"]}),
    ]
    assert _primary_key(_node(), tests) == ["a"]


def test_a_unique_check_is_a_key_after_any_composite_one():
    node = _node({"z_id": ["not_null", "unique"], "a_id": ["unique"], "n": ["not_null"]})
    assert _primary_key(node, [_test("column_checks")]) == ["a_id"]
    assert _primary_key(node, [_test("column_checks", {"unique_combinations": [["n", "z_id"]]})]) == ["n", "z_id"]
    assert _primary_key(node, []) == []  # declared, but no column_checks test runs it


def test_a_primary_key_constraint_comes_first():
    node = _node({"a_id": ["unique"]}, constraints=[{"type": "primary_key", "columns": ["k"]}])
    assert _primary_key(node, [_test("column_checks", {"unique_combinations": [["x"]]})]) == ["k"]
