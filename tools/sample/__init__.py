"""SYNTHETIC sample data generator (fictional rows in the real source formats).

``generate(dest)`` runs every source's writer and returns the files written.
Each source adds its own module here and one entry to ``WRITERS``.
Regenerate the committed samples with ``ice287g sample --dest data/sample``
or ``python -m tools.sample data/sample``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .arrests import write_arrests
from .census import write_census
from .ice_sheets import write_ice_sheets
from .ledger import write_ledger

# One writer per source: writer(dest) -> list of paths written.
WRITERS: list[Callable[[Path], list[Path]]] = [
    write_ice_sheets,
    write_ledger,
    write_arrests,
    write_census,
]


def generate(dest: Path) -> list[Path]:
    dest = Path(dest)
    written: list[Path] = []
    for writer in WRITERS:
        written.extend(writer(dest))
    return written


__all__ = ["WRITERS", "generate", "write_arrests", "write_census", "write_ice_sheets", "write_ledger"]
