"""Let a model's enforced contract carry the checks a data test would repeat.

On a model whose contract is enforced, DuckDB (and PostgreSQL) enforce ``not_null``, ``unique`` and
``primary_key`` column constraints while the table is built: a violation fails the model, so the build
fails before anything is published — what a failing data test does, without another scan of the table.
This edits the YAML in place, line by line (everything else untouched): a plain ``not_null`` data test
on such a column becomes a ``not_null`` constraint; a plain ``unique`` becomes the model's
``primary_key`` (the first, when the column is also not null) or a ``unique`` constraint. Tests with
arguments or a config (severity, where) stay tests. CONTRIBUTING "Tests and contracts".

Usage: python tools/contract_tests.py [--check] [files...]   (default: every models/**/*.yml)
``--check`` exits 1 when a file would change (``make lint`` runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
PLAIN = ("not_null", "unique")


def _enforced(model) -> bool:
    config = model.get("config") or {}
    return bool((config.get("contract") or {}).get("enforced"))


def _types(column) -> list[str]:
    return [c.get("type") for c in column.get("constraints") or []]


def plan(path: Path) -> list[tuple[int, int, str, list[str], int]]:
    """Per column to change: (line of `name:`, line of the tests key, tests key, constraints to add, indent)."""
    doc = YAML().load(path.read_text(encoding="utf-8"))
    out = []
    for model in (doc or {}).get("models") or []:
        if not _enforced(model):
            continue
        columns = model.get("columns") or []
        has_pk = any("primary_key" in _types(c) for c in columns)
        has_pk = has_pk or any(c.get("type") == "primary_key" for c in model.get("constraints") or [])
        for column in columns:
            key = "data_tests" if "data_tests" in column else "tests" if "tests" in column else None
            if key is None:
                continue
            found = [t for t in column[key] if isinstance(t, str) and t in PLAIN]
            if not found:
                continue
            indent = column.lc.col
            if column.get("constraints") is not None:
                # a column with its own constraints: drop only the tests they already cover
                types = _types(column)
                covered = {"not_null"} if {"not_null", "primary_key"} & set(types) else set()
                covered |= {"unique"} if {"unique", "primary_key"} & set(types) else set()
                drop = [t for t in found if t in covered]
                if drop:
                    out.append((column.lc.line, column.lc.key(key)[0], key, drop, [], indent))
                continue
            add = []
            if "not_null" in found:
                add.append("not_null")
            if "unique" in found:
                if "not_null" in found and not has_pk:
                    add.append("primary_key")
                    has_pk = True
                else:
                    add.append("unique")
            out.append((column.lc.line, column.lc.key(key)[0], key, found, add, indent))
    return out


def rewrite(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changes = plan(path)
    for _name_line, key_line, key, found, add, indent in sorted(changes, reverse=True):
        pad = " " * indent
        line = lines[key_line]
        inline = re.search(rf"(,\s*){key}:\s*\[([^\]]*)\]", line) if line.lstrip().startswith("- {") else None
        if inline and not add:  # a column written as one flow mapping: drop the covered tests in place
            items = [i.strip() for i in inline.group(2).split(",") if i.strip() and i.strip() not in found]
            kept = f"{inline.group(1)}{key}: [{', '.join(items)}]" if items else ""
            lines[key_line] = line[: inline.start()] + kept + line[inline.end() :]
            continue
        flow = re.match(rf"^(\s*){key}:\s*\[(.*)\]\s*$", line)
        if flow:
            items = [i.strip() for i in flow.group(2).split(",") if i.strip() and i.strip() not in found]
            lines[key_line] = f"{flow.group(1)}{key}: [{', '.join(items)}]\n" if items else ""
        else:
            # block sequence: drop the `- not_null` / `- unique` items (plain ones only)
            j = key_line + 1
            item_indent = None
            remaining = 0
            while j < len(lines):
                m = re.match(r"^(\s*)- (.*?)\s*$", lines[j])
                if not m or (item_indent is not None and len(m.group(1)) != item_indent):
                    if m is None and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) > (item_indent or 0):
                        j += 1  # a nested line of a kept test
                        continue
                    break
                item_indent = len(m.group(1))
                if m.group(2) in found:
                    lines[j] = ""
                else:
                    remaining += 1
                j += 1
            if remaining == 0:
                lines[key_line] = ""
        if add:
            lines.insert(key_line, f"{pad}constraints: [{', '.join('{type: ' + t + '}' for t in add)}]\n")
    path.write_text("".join(lines), encoding="utf-8")
    return sum(len(c[3]) for c in changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = [f.resolve() for f in args.files] or sorted((REPO / "models").rglob("*.yml"))
    total = 0
    for f in files:
        n = sum(len(c[3]) for c in plan(f)) if args.check else rewrite(f)
        if n:
            verb = "repeat what the enforced contract checks" if args.check else "-> constraints"
            print(f"{f.relative_to(REPO)}: {n} data test(s) {verb}")
        total += n
    return 1 if (args.check and total) else 0


if __name__ == "__main__":
    sys.exit(main())
