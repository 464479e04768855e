"""No Python function in ingest/ takes more than five parameters (issue 13: typed state, not long lists).

Counted: positional-only, positional, keyword-only, ``*args`` and ``**kwargs``; ``self`` and ``cls`` are
not. Dataclass constructors are generated, not written, so they do not appear. A function that needs
more groups them in a dataclass (``IngestRun``, ``CopyInto``) instead. Exceptions need a reason here.
"""

from __future__ import annotations

import ast
from pathlib import Path

INGEST = Path(__file__).resolve().parents[3] / "ingest"
MAX_PARAMETERS = 5
# module path -> function name -> why it may take more (reviewed; remove the entry when it is fixed)
# Reviewed exceptions {module: {function: reason}}; none today (publish's staging is a dataclass now).
EXCEPTIONS: dict[str, dict[str, str]] = {}


def count_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    args = node.args
    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) + (args.vararg is not None) + (args.kwarg is not None)


def long_signatures(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = count_parameters(node)
                if n > MAX_PARAMETERS and node.name not in EXCEPTIONS.get(rel, {}):
                    found.append(f"{rel}:{node.lineno} {node.name} takes {n} parameters")
    return found


def test_no_function_in_ingest_takes_more_than_five_parameters():
    assert long_signatures(INGEST) == []


def test_every_exception_still_exists_and_still_needs_it():
    """An exception whose function was fixed or removed must leave the list."""
    for rel, names in EXCEPTIONS.items():
        tree = ast.parse((INGEST / rel).read_text(encoding="utf-8"))
        counts = {n.name: count_parameters(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        for name in names:
            assert counts.get(name, 0) > MAX_PARAMETERS, f"{rel}::{name} no longer needs its exception"


def test_the_counter_counts_keyword_only_and_star_parameters_but_not_self():
    tree = ast.parse(
        "class C:\n    def m(self, a, b, /, c, *args, d, e=1, **kw): pass\n"
        "def f(a, b, c, d, e): pass\n"
        "def g(a, *, b, c, d, e, f): pass\n"
    )
    counts = {n.name: count_parameters(n) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert counts == {"m": 7, "f": 5, "g": 6}
    assert long_signatures(INGEST.parent / "tools" / "sample")  # the generator (outside ingest/) has some
