"""Fold a model's plain column tests into its one ``column_checks`` test (macros/tests/column_checks.sql).

dbt runs every data test as its own node (~30-80 ms of dbt's own work each, more than the SQL), so a
model's plain ``not_null`` / ``accepted_values`` / ``value_between`` column tests are declared on their
column as ``config: {meta: {checks: [...]}}`` and checked together by the model's ``column_checks``
test, in one scan. This edits the YAML in place, line by line (everything else untouched): each plain
test (no config, no arguments beyond the check's own) moves into its column's ``checks``; the model (seed,
source table) gets ``column_checks`` in its ``data_tests``. Tests with a config (severity, where) stay
tests (except a ``not_null`` or a relationship whose config is only a ``where``: it becomes the check's
``where``), and so does a plain ``not_null`` on a model with an enforced contract (tools/contract_tests.py
makes it a constraint). CONTRIBUTING "Tests and contracts".

Usage: python tools/column_checks.py [--check] [files...]   (default: every models/**/*.yml and seeds/**/*.yml)
``--check`` exits 1 when a file would change, or when a ``column_checks`` test has no checks to run
(``make lint`` runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
TEST = "column_checks"
TEST_KEYS = ("data_tests", "tests")
# YAML 1.1 (dbt reads YAML with PyYAML) reads these plain words as booleans or null: quote them
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
PLAIN_SCALAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ()./-]*$")
PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
REF = re.compile(r"^ref\('[A-Za-z_][A-Za-z0-9_]*'\)$")


@dataclass
class Entry:
    """A model, seed or source table of one YAML file, and what folding changes in it."""

    name: str
    node: dict
    enforced: bool
    folds: list[tuple[dict, list[int], list[object]]] = field(default_factory=list)  # column, test indexes, checks
    has_checks: bool = False
    keys: list[list[str]] = field(default_factory=list)  # unique_combinations (the test's and folded ones)
    relationships: list[dict] = field(default_factory=list)  # {column, to, field} (the test's and folded ones)
    dropped: list[int] = field(default_factory=list)  # indexes of the model's data_tests folded into the test
    moved: int = 0  # model-level tests and column relationships folded into the test's arguments

    @property
    def has_test(self) -> bool:
        return self.test_index is not None

    @property
    def test_index(self) -> int | None:
        tests = self.node.get("data_tests") or []
        return next((i for i, t in enumerate(tests) if t == TEST or (isinstance(t, dict) and TEST in t)), None)

    @property
    def test_arguments(self) -> dict:
        """The arguments the model's column_checks test should have."""
        out: dict = {}
        if self.keys:
            out["unique_combinations"] = self.keys
        if self.relationships:
            out["relationships"] = self.relationships
        return out


def _scalar(value: object) -> str:
    plain = isinstance(value, str) and PLAIN_SCALAR.match(value) and value.strip() == value
    if plain and value.lower() not in RESERVED:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def render(checks: list[object]) -> str:
    """``checks`` as one flow sequence: ``[not_null, {accepted_values: [a, b]}]``."""
    out = []
    for check in checks:
        if isinstance(check, str):
            out.append(check)
            continue
        ((name, arguments),) = check.items()
        if isinstance(arguments, dict):
            inner = ", ".join(f"{k}: {_scalar(v)}" for k, v in arguments.items())
            out.append(f"{{{name}: {{{inner}}}}}")
        else:
            out.append(f"{{{name}: [{', '.join(_scalar(v) for v in arguments)}]}}")
    return "[" + ", ".join(out) + "]"


def as_check(test: object, enforced: bool) -> object | None:
    """The check a plain column test becomes, or None when it stays a test of its own (a relationship
    becomes ``{relationships: {to, field}}``: an argument of the model's test, see ``entries``)."""
    if isinstance(test, str):
        return test if test in ("not_null", "unique") and not enforced else None
    if not isinstance(test, dict) or len(test) != 1:
        return None
    ((name, spec),) = test.items()
    if not isinstance(spec, dict):
        return None
    where = _where(spec)
    if name == "not_null" and set(spec) == {"config"} and where is not None:
        return {"not_null": {"where": where}}
    arguments = spec.get("arguments", {}) if set(spec) <= {"arguments"} or where is not None else None
    if arguments is None:
        return None
    if where is not None:
        if name == "relationships" and set(arguments) == {"to", "field"}:
            plain = as_check({name: {"arguments": arguments}}, enforced)
            return {name: {**plain[name], "where": where}} if plain else None
        return None
    if name == "accepted_values" and set(arguments) == {"values"}:
        values = list(arguments["values"])
        return {"accepted_values": values} if all(isinstance(v, str) for v in values) else None
    if name == "value_between" and set(arguments) == {"min_value", "max_value"}:
        bounds = {k: arguments[k] for k in ("min_value", "max_value")}
        return {"value_between": bounds} if all(isinstance(v, (int, float)) for v in bounds.values()) else None
    if name == "relationships" and set(arguments) == {"to", "field"}:
        to, to_field = arguments["to"], arguments["field"]
        return (
            {"relationships": {"to": to, "field": to_field}}
            if REF.match(str(to)) and PLAIN_NAME.match(str(to_field))
            else None
        )
    return None


def _where(spec: dict) -> str | None:
    """The where of a test whose config is only a where (a severity of error, dbt's default, aside)."""
    config = spec.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("where"), str):
        return None
    rest = {k: v for k, v in config.items() if k != "where"}
    if rest and (set(rest) != {"severity"} or str(rest["severity"]).lower() != "error"):
        return None
    return config["where"]


def as_key(test: object) -> list[str] | None:
    """The columns of a plain model-level unique_combination test, or None when it stays a test."""
    if not isinstance(test, dict) or len(test) != 1:
        return None
    ((name, spec),) = test.items()
    if name != "unique_combination" or not isinstance(spec, dict) or set(spec) != {"arguments"}:
        return None
    arguments = spec["arguments"] or {}
    columns = arguments.get("columns") if set(arguments) == {"columns"} else None
    if not columns or not all(isinstance(c, str) and PLAIN_NAME.match(c) for c in columns):
        return None
    return [str(c) for c in columns]


def test_arguments(test: object) -> dict:
    """The arguments of a model's column_checks test entry (``column_checks`` or ``{column_checks: ...}``)."""
    if isinstance(test, dict) and isinstance(test.get(TEST), dict):
        return _plain(test[TEST].get("arguments") or {})
    return {}


def existing_checks(column: dict) -> list[object]:
    meta = ((column.get("config") or {}).get("meta") or {}) if isinstance(column.get("config"), dict) else {}
    return [_plain(c) for c in meta.get("checks") or []]


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def entries(doc: dict) -> list[Entry]:
    """Every model, seed and source table of a properties file, with the tests folding would move."""
    out = []
    nodes = [(n, n) for n in (doc or {}).get("models") or []] + [(n, n) for n in (doc or {}).get("seeds") or []]
    for source in (doc or {}).get("sources") or []:
        nodes += [(t, t) for t in source.get("tables") or []]
    for node, _ in nodes:
        config = node.get("config") or {}
        entry = Entry(node["name"], node, bool((config.get("contract") or {}).get("enforced")))
        model_tests = node.get("data_tests") or []
        if entry.test_index is not None:
            arguments = test_arguments(model_tests[entry.test_index])
            entry.keys = [list(k) for k in arguments.get("unique_combinations") or []]
            entry.relationships = [dict(r) for r in arguments.get("relationships") or []]
        for i, test in enumerate(model_tests):
            columns = as_key(test)
            if columns is not None:
                entry.keys.append(columns)
                entry.dropped.append(i)
                entry.moved += 1
        for column in node.get("columns") or []:
            if existing_checks(column):
                entry.has_checks = True
            key = next((k for k in TEST_KEYS if k in column), None)
            tests = column.get(key) or [] if key else []
            moved = [(i, as_check(t, entry.enforced)) for i, t in enumerate(tests)]
            moved = [(i, c) for i, c in moved if c is not None]
            if moved:
                checks = [c for _, c in moved if not (isinstance(c, dict) and "relationships" in c)]
                for _, c in moved:
                    if isinstance(c, dict) and "relationships" in c:
                        entry.relationships.append({"column": column["name"], **c["relationships"]})
                        entry.moved += 1
                entry.folds.append((column, [i for i, _ in moved], checks))
        entry.has_checks = entry.has_checks or any(checks for _, _, checks in entry.folds) or bool(entry.test_arguments)
        out.append(entry)
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _close(text: str, start: int) -> int:
    """Index of the bracket closing the one at text[start] (quotes respected)."""
    depth, quote, i = 0, None, start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced flow collection at {text[start : start + 40]!r}")


def _split(inner: str) -> list[str]:
    """Top-level items of a flow sequence's inside."""
    items, depth, quote, cur = [], 0, None, ""
    for i, ch in enumerate(inner):
        if quote:
            quote = None if ch == quote and inner[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        items.append(cur.strip())
    return items


def _fold_flow_column(lines: list[str], column: dict, drop: list[int], checks: list[object]) -> None:
    """A column written as one flow mapping (``- {name: x, data_tests: [...]}``, maybe over lines)."""
    first = column.lc.line
    text = "".join(lines[first:])
    end = _close(text, text.index("{"))
    n_lines = text[:end].count("\n") + 1
    chunk = "".join(lines[first : first + n_lines])
    span = chunk[: end + 1]
    key = next(k for k in TEST_KEYS if k in column)
    match = re.search(rf"\b{key}:\s*\[", span)
    if match is None or "config" in column:
        raise ValueError(f"line {first + 1}: fold {column['name']}'s tests by hand")
    close = _close(span, match.end() - 1)
    kept = [item for i, item in enumerate(_split(span[match.end() : close])) if i not in drop]
    new = ([f"{key}: [{', '.join(kept)}]"] if kept else []) + (
        [f"config: {{meta: {{checks: {render(checks)}}}}}"] if checks else []
    )
    chunk = span[: match.start()] + ", ".join(new) + span[close + 1 :] + chunk[end + 1 :]
    lines[first : first + n_lines] = chunk.splitlines(keepends=True)


def _item_spans(lines: list[str], seq: list) -> list[tuple[int, int]]:
    """The (first, after last) lines of each item of a block sequence."""
    starts = [seq.lc.item(i)[0] for i in range(len(seq))]
    dash = _indent(lines[starts[0]])
    spans = []
    for start in starts:
        stop = start + 1
        while stop < len(lines) and (not lines[stop].strip() or _indent(lines[stop]) > dash):
            stop += 1
        while stop > start + 1 and not lines[stop - 1].strip():
            stop -= 1  # a blank line after the last item separates what follows
        spans.append((start, stop))
    return spans


def _fold_block_column(lines: list[str], column: dict, drop: list[int], checks: list[object]) -> None:
    key = next(k for k in TEST_KEYS if k in column)
    key_line = column.lc.key(key)[0]
    pad = " " * column.lc.col
    config_line = f"{pad}config: {{meta: {{checks: {render(checks)}}}}}\n"
    if "config" in column:
        line = column.lc.key("config")[0]
        if not re.match(r"^\s*config: \{meta: \{checks: \[.*\]\}\}\s*$", lines[line]):
            raise ValueError(f"line {line + 1}: {column['name']} has a config of its own: fold its tests by hand")
    if "config" in column and checks:
        lines[column.lc.key("config")[0]] = config_line  # same line count: the lines below stay where they are
    tests = column[key]
    flow = re.match(rf"^(\s*){key}:\s*(\[.*\])\s*(#.*)?$", lines[key_line])
    if flow:
        items = _split(flow.group(2)[1:-1])
        kept = [item for i, item in enumerate(items) if i not in drop]
        new = [f"{flow.group(1)}{key}: [{', '.join(kept)}]\n"] if kept else []
        lines[key_line : key_line + 1] = new
    else:
        spans = _item_spans(lines, tests)
        for i in sorted(drop, reverse=True):
            del lines[spans[i][0] : spans[i][1]]
        if len(drop) == len(tests):
            del lines[key_line]
    if "config" not in column and checks:
        lines.insert(key_line, config_line)


def _test_line(node: dict) -> int:
    """Where _add_test edits: the model's data_tests (its first item), else its columns key."""
    if "data_tests" in node:
        tests = node["data_tests"]
        return tests.lc.item(0)[0] if tests and not tests.fa.flow_style() else node.lc.key("data_tests")[0]
    return node.lc.key("columns")[0]


def _add_test(lines: list[str], node: dict) -> None:
    """Give a model (seed, source table) the column_checks test."""
    pad = " " * node.lc.col
    if "data_tests" in node:
        key_line = node.lc.key("data_tests")[0]
        flow = re.match(r"^(\s*)data_tests:\s*\[(.*)\]\s*$", lines[key_line])
        if flow:
            items = [*_split(flow.group(2)), TEST]
            lines[key_line] = f"{flow.group(1)}data_tests: [{', '.join(items)}]\n"
        else:
            first = node["data_tests"].lc.item(0)[0]
            lines.insert(first, " " * _indent(lines[first]) + f"- {TEST}\n")
    elif "columns" in node:
        lines.insert(node.lc.key("columns")[0], f"{pad}data_tests: [{TEST}]\n")
    else:
        raise ValueError(f"{node['name']}: no columns")


def render_test(arguments: dict, pad: str) -> list[str]:
    """The model's column_checks item (a block sequence item at ``pad``) with its arguments."""
    if not arguments:
        return [f"{pad}- {TEST}\n"]
    out = [f"{pad}- {TEST}:\n", f"{pad}    arguments:\n"]
    if arguments.get("unique_combinations"):
        keys = ", ".join("[" + ", ".join(_scalar(c) for c in key) + "]" for key in arguments["unique_combinations"])
        out.append(f"{pad}      unique_combinations: [{keys}]\n")
    if arguments.get("relationships"):
        out.append(f"{pad}      relationships:\n")
        for rel in arguments["relationships"]:
            to = rel["to"] if REF.match(str(rel["to"])) else json.dumps(str(rel["to"]))
            where = f", where: {json.dumps(rel['where'], ensure_ascii=False)}" if rel.get("where") else ""
            column, to_field = _scalar(rel["column"]), _scalar(rel["field"])
            out.append(f"{pad}        - {{column: {column}, to: {to}, field: {to_field}{where}}}\n")
    return out


def _write_test(lines: list[str], entry: Entry) -> None:
    """Rewrite a model's data_tests: its column_checks test with the arguments folded into it first, then
    the tests that stay (as written)."""
    node = entry.node
    pad = " " * node.lc.col
    skip = set(entry.dropped) | ({entry.test_index} if entry.has_test else set())
    if "data_tests" in node:
        tests = node["data_tests"]
        key_line = node.lc.key("data_tests")[0]
        flow = re.match(r"^(\s*)data_tests:\s*\[(.*)\]\s*$", lines[key_line])
        if flow:
            item_pad = pad + "  "
            kept = [f"{item_pad}- {item}\n" for i, item in enumerate(_split(flow.group(2))) if i not in skip]
            stop = key_line + 1
        elif tests and not tests.fa.flow_style():
            spans = _item_spans(lines, tests)
            item_pad = " " * _indent(lines[spans[0][0]])
            kept = [line for i, (a, b) in enumerate(spans) if i not in skip for line in lines[a:b]]
            stop = spans[-1][1]
        else:
            raise ValueError(f"{node['name']}: rewrite its data_tests by hand")
        lines[key_line:stop] = [f"{pad}data_tests:\n", *render_test(entry.test_arguments, item_pad), *kept]
    elif "columns" in node:
        at = node.lc.key("columns")[0]
        lines[at:at] = [f"{pad}data_tests:\n", *render_test(entry.test_arguments, pad + "  ")]
    else:
        raise ValueError(f"{node['name']}: no columns")


def plan(path: Path) -> list[Entry]:
    return entries(YAML().load(path.read_text(encoding="utf-8")))


def rewrite(path: Path) -> int:
    """Fold the file's plain column tests; the number of tests folded plus tests added."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    todo = plan(path)
    changed = 0
    # bottom-up, so the line numbers above each edit stay true
    edits = []
    for entry in todo:
        for column, drop, checks in entry.folds:
            edits.append((column.lc.line, "fold", column, drop, existing_checks(column) + checks))
        if entry.moved:
            edits.append((_test_line(entry.node), "arguments", entry, None, None))
        elif entry.has_checks and not entry.has_test:
            edits.append((_test_line(entry.node), "test", entry.node, None, None))
    for _line, kind, obj, drop, checks in sorted(edits, key=lambda e: e[0], reverse=True):
        if kind == "arguments":
            _write_test(lines, obj)
            changed += len(obj.dropped) + (0 if obj.has_test else 1)
        elif kind == "test":
            _add_test(lines, obj)
            changed += 1
        elif obj.fa.flow_style():
            _fold_flow_column(lines, obj, drop, checks)
            changed += len(drop)
        else:
            _fold_block_column(lines, obj, drop, checks)
            changed += len(drop)
    if changed:
        path.write_text("".join(lines), encoding="utf-8")
    return changed


def findings(path: Path) -> list[str]:
    out = []
    for entry in plan(path):
        n = sum(len(drop) for _, drop, _ in entry.folds) + len(entry.dropped)
        if n:
            out.append(f"{entry.name}: {n} plain column test(s) to fold into {TEST}")
        if entry.has_checks and not entry.has_test:
            out.append(f"{entry.name}: columns declare checks but the model has no {TEST} test")
        for column in entry.node.get("columns") or [] if entry.enforced else []:
            for check in existing_checks(column):
                if check in ("not_null", "unique"):
                    out.append(
                        f"{entry.name}.{column['name']}: a {check} check on a model with an enforced contract:"
                        f" declare it as a data test, which tools/contract_tests.py makes a constraint"
                    )
        if entry.has_test and not entry.has_checks:
            out.append(f"{entry.name}: a {TEST} test without any column checks: remove it")
    return out


def default_files() -> list[Path]:
    return sorted((REPO / "models").rglob("*.yml")) + sorted((REPO / "seeds").rglob("*.yml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = [f.resolve() for f in args.files] or default_files()
    total = 0
    for f in files:
        name = f.relative_to(REPO) if f.is_relative_to(REPO) else f
        if args.check:
            found = findings(f)
            for line in found:
                print(f"{name}: {line}")
            total += len(found)
        else:
            n = rewrite(f)
            if n:
                print(f"{name}: {n} change(s)")
            stale = [line for line in findings(f) if "without any column checks" in line]
            for line in stale:
                print(f"{name}: {line}")
            total += len(stale)
    if args.check and total:
        print("run `python tools/column_checks.py` to fold them (CONTRIBUTING 'Tests and contracts')")
    return 1 if total and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
