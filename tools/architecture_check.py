"""The project's architecture rules, checked over dbt's manifest.json (in the spirit of dbt-project-evaluator).

Rules (a finding of any fails ``make lint``):

- ``source_outside_staging``: only staging models read a ``source()``.
- ``later_layer_ref``: no model reads a model of a later layer (staging < intermediate < marts < qa);
  the layer is the folder under ``models/``.
- ``staging_reads_model``: a staging model reads only its source (and seeds), never another model.
- ``unknown_layer``: every model lives in one of those four folders.
- ``missing_description``: every model has a description.
- ``missing_primary_key``: every model has a primary-key test — ``unique`` and ``not_null`` on one
  column (either may be an enforced constraint; either may be a check the column declares for the
  model's ``column_checks`` test, ``macros/tests/column_checks.sql``), the ``unique_combination`` test
  (``macros/tests/unique_combination.sql``, or a key the ``column_checks`` test lists in its
  ``unique_combinations`` argument; dbt_utils' ``unique_combination_of_columns`` too), or an
  enforced ``primary_key`` constraint. A QA check model (``qa_*``) is keyed by ``rpt_qa_summary``'s
  ``unique_combination`` test on check_name, scope, which sees every row of every check.
- ``mart_without_contract``: every public mart (a model under ``models/marts/`` or built into the
  published ``marts`` schema) has an enforced contract.
- ``layer_prefix``: names carry their layer's prefix: ``stg_``; ``int_``; ``dim_``/``fct_``/``rpt_``;
  ``qa_`` (and ``rpt_qa_`` for the QA layer's published summary).

Exceptions live in ``tools/architecture_exceptions.yml`` (rule, model, reason — each reviewed); an
exception that no longer matches a finding is itself a finding (``stale_exception``), so the file
stays true.

Usage: python tools/architecture_check.py [--manifest target/manifest.json] [--exceptions FILE]
Without --manifest it runs ``dbt parse`` (ingest.project.run_dbt) into target/lint/ and reads that.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EXCEPTIONS = REPO / "tools" / "architecture_exceptions.yml"

LAYERS = ("staging", "intermediate", "marts", "qa")
PREFIXES = {
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("dim_", "fct_", "rpt_"),
    "qa": ("qa_", "rpt_qa_"),
}
PUBLISHED_SCHEMA = "marts"
COMBINATION_TESTS = ("unique_combination", "unique_combination_of_columns")
QA_SUMMARY, QA_KEY = "rpt_qa_summary", ["check_name", "scope"]
CONSOLIDATED_TEST = "column_checks"  # macros/tests/column_checks.sql: the checks its columns declare
RULES = (
    "source_outside_staging",
    "later_layer_ref",
    "staging_reads_model",
    "unknown_layer",
    "missing_description",
    "missing_primary_key",
    "mart_without_contract",
    "layer_prefix",
    "stale_exception",
)


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule: the rule's name, the model's name and what was found."""

    rule: str
    model: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.model}: {self.detail}"


def layer_of(node: dict) -> str | None:
    """The layer of a model: its folder under models/ (None when outside the four layers)."""
    parts = Path(node.get("original_file_path", "")).parts
    if len(parts) >= 2 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


def _models(manifest: dict) -> dict[str, dict]:
    return {uid: n for uid, n in manifest.get("nodes", {}).items() if n.get("resource_type") == "model"}


def _contract_enforced(node: dict) -> bool:
    return bool(((node.get("config") or {}).get("contract") or {}).get("enforced"))


def _column_constraints(node: dict) -> dict[str, set[str]]:
    return {
        name: {c.get("type") for c in (column.get("constraints") or [])}
        for name, column in (node.get("columns") or {}).items()
    }


def _tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    """Generic tests of each model: (test name, column, kwargs) from the test nodes' metadata."""
    out: dict[str, list[dict]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "test" or not node.get("test_metadata"):
            continue
        model = node.get("attached_node")
        if not model:
            parents = [p for p in (node.get("depends_on") or {}).get("nodes", []) if p.startswith("model.")]
            model = parents[0] if len(parents) == 1 else None
        if not model:
            continue
        meta = node["test_metadata"]
        if meta.get("name") == CONSOLIDATED_TEST:
            out.setdefault(model, []).extend(_declared_checks(manifest.get("nodes", {}).get(model) or {}))
            out.setdefault(model, []).extend(_argument_checks(meta.get("kwargs") or {}))
            continue
        out.setdefault(model, []).append(
            {"name": meta.get("name"), "column": node.get("column_name"), "kwargs": meta.get("kwargs") or {}}
        )
    return out


def _declared_checks(node: dict) -> list[dict]:
    """The checks a model's columns declare for its column_checks test (config.meta.checks), as tests."""
    out = []
    for name, column in (node.get("columns") or {}).items():
        meta = (column.get("config") or {}).get("meta") or column.get("meta") or {}
        for check in meta.get("checks") or []:
            kind, arguments = (check, {}) if isinstance(check, str) else next(iter(check.items()))
            out.append({"name": kind, "column": name, "kwargs": {"arguments": arguments}})
    return out


def _argument_checks(kwargs: dict) -> list[dict]:
    """The unique_combination and relationships tests a column_checks test lists in its arguments."""
    out = [
        {"name": "unique_combination", "column": None, "kwargs": {"columns": list(columns)}}
        for columns in kwargs.get("unique_combinations") or []
    ]
    out += [
        {"name": "relationships", "column": r["column"], "kwargs": {"to": r["to"], "field": r["field"]}}
        for r in kwargs.get("relationships") or []
    ]
    return out


def has_primary_key(node: dict, tests: list[dict]) -> bool:
    """unique + not_null on one column (tests or enforced constraints), a unique-combination test, or
    an enforced primary_key constraint."""
    enforced = _contract_enforced(node)
    constraints = _column_constraints(node) if enforced else {}
    if enforced:
        if any("primary_key" in types for types in constraints.values()):
            return True
        if any(c.get("type") == "primary_key" for c in node.get("constraints") or []):
            return True
    if any(t["name"] in COMBINATION_TESTS for t in tests):
        return True
    unique = {t["column"] for t in tests if t["name"] == "unique"}
    unique |= {c for c, types in constraints.items() if "unique" in types}
    not_null = {t["column"] for t in tests if t["name"] == "not_null"}
    not_null |= {c for c, types in constraints.items() if "not_null" in types}
    return bool((unique & not_null) - {None})


def qa_keyed_by_summary(models: dict[str, dict], tests: dict[str, list[dict]]) -> set[str]:
    """The QA check models whose key rpt_qa_summary tests: it unions every qa_* model (macro qa_check_models
    fails the build on one left out) with ``union all``, so when it has the unique_combination test on
    check_name, scope a duplicate key in any check is a duplicate there."""
    for uid, node in models.items():
        keyed = any(
            t["name"] in COMBINATION_TESTS and list(t["kwargs"].get("columns") or []) == QA_KEY
            for t in tests.get(uid, [])
        )
        if node["name"] == QA_SUMMARY and keyed:
            parents = (node.get("depends_on") or {}).get("nodes", [])
            return {p for p in parents if p in models and layer_of(models[p]) == "qa"}
    return set()


def check(manifest: dict) -> list[Finding]:
    """Every finding of the manifest, before exceptions."""
    models = _models(manifest)
    tests = _tests_by_model(manifest)
    qa_keyed = qa_keyed_by_summary(models, tests)
    findings: list[Finding] = []
    for uid, node in models.items():
        name = node["name"]
        layer = layer_of(node)
        parents = (node.get("depends_on") or {}).get("nodes", [])
        if layer is None:
            findings.append(
                Finding("unknown_layer", name, f"{node.get('original_file_path')} is not in models/<layer>/")
            )
        sources = sorted(p for p in parents if p.startswith("source."))
        if sources and layer != "staging":
            findings.append(Finding("source_outside_staging", name, f"{layer} model reads {', '.join(sources)}"))
        for parent_uid in sorted(p for p in parents if p in models):
            parent = models[parent_uid]
            parent_layer = layer_of(parent)
            if layer == "staging":
                findings.append(Finding("staging_reads_model", name, f"reads {parent['name']} ({parent_layer})"))
            elif layer in LAYERS and parent_layer in LAYERS and LAYERS.index(parent_layer) > LAYERS.index(layer):
                findings.append(
                    Finding(
                        "later_layer_ref",
                        name,
                        f"{layer} model reads {parent['name']} of the later {parent_layer} layer",
                    )
                )
        if not (node.get("description") or "").strip():
            findings.append(Finding("missing_description", name, "no description"))
        if uid not in qa_keyed and not has_primary_key(node, tests.get(uid, [])):
            findings.append(
                Finding(
                    "missing_primary_key", name, "no unique+not_null column, unique_combination test or primary_key"
                )
            )
        schema = (node.get("config") or {}).get("schema") or node.get("schema")
        if (layer == "marts" or schema == PUBLISHED_SCHEMA) and not _contract_enforced(node):
            findings.append(Finding("mart_without_contract", name, "public mart without an enforced contract"))
        if layer in PREFIXES and not name.startswith(PREFIXES[layer]):
            findings.append(
                Finding("layer_prefix", name, f"{layer} model names start with {' or '.join(PREFIXES[layer])}")
            )
    return sorted(findings)


def load_exceptions(path: Path) -> list[dict]:
    """The reviewed exceptions: a list of {rule, model, reason}; every entry needs all three."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("exceptions") or []
    for i, entry in enumerate(entries):
        missing = [k for k in ("rule", "model", "reason") if not str(entry.get(k) or "").strip()]
        if missing:
            raise ValueError(f"{path}: exception {i + 1} lacks {', '.join(missing)}")
        if entry["rule"] not in RULES:
            raise ValueError(f"{path}: exception {i + 1} names an unknown rule {entry['rule']!r}")
    return entries


def apply_exceptions(findings: list[Finding], exceptions: list[dict]) -> list[Finding]:
    """Findings no exception covers, plus a stale_exception for each exception that covers nothing."""
    keys = {(e["rule"], e["model"]) for e in exceptions}
    remaining = [f for f in findings if (f.rule, f.model) not in keys]
    found = {(f.rule, f.model) for f in findings}
    stale = [
        Finding("stale_exception", model, f"the exception for {rule} matches no finding: remove it")
        for rule, model in sorted(keys - found)
    ]
    return sorted(remaining + stale)


def parse_manifest() -> Path:
    """Run `dbt parse` the way builds run dbt (ingest.project.run_dbt) into target/lint/; its manifest."""
    sys.path.insert(0, str(REPO))
    from ingest.project import run_dbt

    lint_dir = REPO / "target" / "lint"
    lines: list[str] = []
    result = run_dbt(["parse"], lint_dir, on_line=lines.append)
    if not result.ok:
        print("\n".join(lines[-30:]), file=sys.stderr)
        raise SystemExit("dbt parse failed")
    return lint_dir / "dbt_target" / "manifest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, help="a manifest.json (default: dbt parse into target/lint/)")
    parser.add_argument("--exceptions", type=Path, default=DEFAULT_EXCEPTIONS)
    args = parser.parse_args(argv)
    manifest_path = args.manifest or parse_manifest()
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    findings = apply_exceptions(check(manifest), load_exceptions(args.exceptions))
    n_models = len(_models(manifest))
    for finding in findings:
        print(finding)
    if findings:
        print(f"architecture check: {len(findings)} finding(s) over {n_models} models (exceptions: {args.exceptions})")
        return 1
    print(f"architecture check: {n_models} models, no findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
