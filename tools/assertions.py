"""Every assertion the dbt project makes, from a manifest.json: to show a test refactor loses none.

An assertion is (node, column, check, arguments, config): one generic data test (its kwargs; the
``column_checks`` test counts as each check its columns declare and each unique_combination and
relationship its arguments list, with that test's config and the check's own ``where``), a singular
test, or an enforced contract's column constraint. Two manifests with equal sets assert the same things,
however the tests are grouped into dbt nodes.

Usage: python tools/assertions.py BEFORE.json AFTER.json   (exit 1 when the sets differ)
       python tools/assertions.py MANIFEST.json            (list one manifest's assertions)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

CONFIG_KEYS = ("severity", "where", "warn_if", "error_if", "fail_calc", "limit", "store_failures")
DEFAULT_CONFIG = {"severity": "ERROR", "warn_if": "!= 0", "error_if": "!= 0", "fail_calc": "count(*)"}


def _frozen(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _config(node: dict) -> str:
    config = node.get("config") or {}
    kept = {k: config.get(k) for k in CONFIG_KEYS if config.get(k) not in (None, False, DEFAULT_CONFIG.get(k))}
    kept = {k: (v.upper() if k == "severity" else v) for k, v in kept.items()}
    return _frozen(kept)


def _with_where(config: str, where: str | None) -> str:
    """A test's config with the where of a check (a not_null or relationship that had its own where)."""
    return config if where is None else _frozen({**json.loads(config), "where": where})


def _tested(node: dict) -> str:
    """The model, seed or source a generic test is attached to."""
    if node.get("attached_node"):
        return node["attached_node"]
    parents = (node.get("depends_on") or {}).get("nodes") or []
    sources = [p for p in parents if p.startswith("source.")]
    return sources[0] if len(sources) == 1 else ",".join(sorted(parents))


def _enforced(node: dict) -> bool:
    return bool(((node.get("config") or {}).get("contract") or {}).get("enforced"))


def _check(check: object) -> tuple[str, dict]:
    """A ``checks`` entry as (test name, the kwargs its own generic test takes)."""
    if isinstance(check, str):
        return check, {}
    ((name, arguments),) = check.items()
    if name == "accepted_values":
        return name, {"values": list(arguments)}
    return name, dict(arguments)


def assertions(manifest: dict) -> Counter:
    """The multiset of assertions of a manifest."""
    out: Counter = Counter()
    resources = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    for uid, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") == "test":
            meta = node.get("test_metadata")
            if not meta:
                out[(f"test.{node['name']}", "", "singular", "{}", _config(node))] += 1
                continue
            tested, config = _tested(node), _config(node)
            if meta["name"] == "column_checks":
                for column_name, column in (resources.get(tested, {}).get("columns") or {}).items():
                    column_meta = (column.get("config") or {}).get("meta") or column.get("meta") or {}
                    for check in column_meta.get("checks") or []:
                        name, kwargs = _check(check)
                        where = kwargs.pop("where", None)
                        out[(tested, column_name, name, _frozen(kwargs), _with_where(config, where))] += 1
                arguments = meta.get("kwargs") or {}
                for columns in arguments.get("unique_combinations") or []:
                    out[(tested, "", "unique_combination", _frozen({"columns": list(columns)}), config)] += 1
                for rel in arguments.get("relationships") or []:
                    kwargs = {"to": rel["to"], "field": rel["field"]}
                    where = _with_where(config, rel.get("where"))
                    out[(tested, rel["column"], "relationships", _frozen(kwargs), where)] += 1
                continue
            kwargs = {k: v for k, v in (meta.get("kwargs") or {}).items() if k not in ("model", "column_name")}
            out[(tested, node.get("column_name") or "", meta["name"], _frozen(kwargs), config)] += 1
        elif node.get("resource_type") == "model" and _enforced(node):
            for column_name, column in (node.get("columns") or {}).items():
                for constraint in column.get("constraints") or []:
                    out[(uid, column_name, f"constraint:{constraint.get('type')}", "{}", "{}")] += 1
            for constraint in node.get("constraints") or []:
                out[(uid, "", f"constraint:{constraint.get('type')}", _frozen(constraint.get("columns")), "{}")] += 1
    return out


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _nodes(manifest: dict) -> Counter:
    return Counter(n["resource_type"] for n in manifest.get("nodes", {}).values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if len(args.manifests) == 1:
        for assertion in sorted(assertions(_load(args.manifests[0])).elements()):
            print("\t".join(assertion))
        return 0
    before_m, after_m = (_load(p) for p in args.manifests[:2])
    before, after = assertions(before_m), assertions(after_m)
    kinds = lambda c: Counter({k[2]: 0 for k in c}) + Counter(k[2] for k in c.elements())  # noqa: E731
    print(f"assertions: before {sum(before.values())}, after {sum(after.values())}")
    for kind in sorted(set(kinds(before)) | set(kinds(after))):
        print(f"  {kind:28} {kinds(before)[kind]:4} -> {kinds(after)[kind]:4}")
    for label, manifest in (("before", before_m), ("after", after_m)):
        print(f"dbt nodes {label}: {dict(sorted(_nodes(manifest).items()))}")
    lost, gained = before - after, after - before
    for sign, diff in (("-", lost), ("+", gained)):
        for assertion in sorted(diff.elements()):
            print(sign, "\t".join(assertion))
    print("the same assertions" if not (lost or gained) else f"{sum(lost.values())} lost, {sum(gained.values())} new")
    return 1 if lost or gained else 0


if __name__ == "__main__":
    sys.exit(main())
