"""Quoting for the few SQL statements that cannot take parameters (ATTACH, COPY ... TO, COMMENT, DDL).

DuckDB binds ``?`` parameters only in expressions; a path in ``attach '<path>'`` or ``copy ... to
'<path>'`` and a table name are part of the statement text. They go through these two helpers, so a
warehouse folder named ``o'brien wh`` or a table named ``a"b`` is never read as SQL.
"""

from __future__ import annotations

import os


def quote_literal(value: str | os.PathLike[str]) -> str:
    """A SQL string literal: ``o'brien`` -> ``'o''brien'``. Refuses NUL, which no SQL string can hold."""
    text = os.fspath(value)
    if "\x00" in text:
        raise ValueError(f"a SQL string literal cannot hold a NUL character: {text!r}")
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A SQL identifier: ``a"b`` -> ``"a""b"``."""
    if "\x00" in name:
        raise ValueError(f"a SQL identifier cannot hold a NUL character: {name!r}")
    return '"' + name.replace('"', '""') + '"'
