"""Make a model's enforced contract carry the checks a data test would repeat.

On a model whose contract is enforced, DuckDB (and PostgreSQL) enforce ``not_null``, ``unique`` and
``primary_key`` column constraints when the table is built: a violation fails the model, so the build
fails before anything is published — the same effect as a failing data test, without a second scan.
This rewrites the YAML (round-trip, comments kept): a plain ``not_null`` data test on such a column
becomes a ``not_null`` constraint, a plain ``unique`` becomes the model's ``primary_key`` (the first
one, when the column is also not null) or a ``unique`` constraint. Tests with a config (severity,
where) are left alone. CONTRIBUTING: "Tests and contracts".

Usage: python tools/contract_tests.py [--check] [files...]   (default: every models/**/*.yml)
``--check`` exits 1 when a file would change (used by ``make lint``).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 120
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _is_enforced(model) -> bool:
    config = model.get("config") or {}
    return bool((config.get("contract") or {}).get("enforced"))


def _constraint_types(column) -> list[str]:
    return [c.get("type") for c in column.get("constraints") or []]


def convert_model(model) -> int:
    """Rewrite one model's column tests into constraints; returns how many tests moved."""
    if not _is_enforced(model):
        return 0
    moved = 0
    has_pk = any("primary_key" in _constraint_types(c) for c in model.get("columns") or [])
    has_pk = has_pk or any(c.get("type") == "primary_key" for c in model.get("constraints") or [])
    for column in model.get("columns") or []:
        key = "data_tests" if "data_tests" in column else "tests" if "tests" in column else None
        if key is None:
            continue
        tests = column[key]
        kept = []
        found = set()
        for test in tests:
            if test in ("not_null", "unique"):
                found.add(test)
            else:
                kept.append(test)
        if not found:
            continue
        types = _constraint_types(column)
        constraints = column.get("constraints")
        if constraints is None:
            constraints = []
        if "not_null" in found and "not_null" not in types and "primary_key" not in types:
            constraints.append({"type": "not_null"})
        if "unique" in found and "unique" not in types and "primary_key" not in types:
            is_not_null = "not_null" in found or "not_null" in types
            if is_not_null and not has_pk:
                constraints.append({"type": "primary_key"})
                has_pk = True
            else:
                constraints.append({"type": "unique"})
        column["constraints"] = constraints
        moved += len(found)
        if kept:
            tests[:] = kept
        else:
            del column[key]
    return moved


def convert_file(path: Path, check: bool) -> int:
    y = _yaml()
    text = path.read_text(encoding="utf-8")
    doc = y.load(text)
    if not doc or "models" not in doc:
        return 0
    moved = sum(convert_model(m) for m in doc["models"])
    if moved:
        buf = io.StringIO()
        y.dump(doc, buf)
        if buf.getvalue() != text:
            if check:
                print(f"{path.relative_to(REPO)}: {moved} data test(s) repeat what the enforced contract checks")
            else:
                path.write_text(buf.getvalue(), encoding="utf-8")
                print(f"{path.relative_to(REPO)}: {moved} data test(s) -> constraints")
            return moved
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((REPO / "models").rglob("*.yml"))
    total = sum(convert_file(f.resolve(), args.check) for f in files)
    return 1 if (args.check and total) else 0


if __name__ == "__main__":
    sys.exit(main())
