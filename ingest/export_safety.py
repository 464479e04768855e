"""CSV exports that are safe to open in a spreadsheet: cells that would run as formulas are neutralised.

Excel, LibreOffice and Google Sheets read a CSV cell that starts with ``=``, ``+``, ``-`` or ``@``
(also after a leading tab or carriage return, and their full-width forms) as a formula:
``=HYPERLINK("http://evil.example/x","Click me")`` becomes a link, ``=cmd|' /C calc'!A0`` a command.
Following the OWASP rule ("CSV Injection"), every *text* cell of a CSV export that starts with one of
those characters is prefixed with a single quote, which the spreadsheet shows as text. Numbers,
dates and booleans are written as they are (a negative ``amount_usd`` stays ``-1325.00``). The true
value stays in ``marts.duckdb`` and the Parquet exports; the cells are listed for review in
``intermediate.int_review__unsafe_cells``.
"""

from __future__ import annotations

from ingest.sql import quote_ident, quote_literal

# First characters a spreadsheet may read as the start of a formula (OWASP; plus line feed and the
# full-width forms that some locales' Excel also accepts).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR")


def neutralise_formula(value: str | None) -> str | None:
    """``=1+1`` -> ``'=1+1``; any other text unchanged (the rule the CSV export applies in SQL)."""
    if value is not None and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


_REGEX_ESCAPES = {"-": "\\-", "\t": "\\t", "\r": "\\r", "\n": "\\n"}


def _formula_pattern() -> str:
    chars = "".join(_REGEX_ESCAPES.get(c, c) for c in FORMULA_PREFIXES)
    return quote_literal(f"^[{chars}]")


def csv_select(table_sql: str, columns: list[tuple[str, str]]) -> str:
    """A SELECT over ``table_sql`` for a CSV export: text columns neutralised, the others as they are.

    ``columns`` are (name, DuckDB data type) in table order.
    """
    pattern = _formula_pattern()
    exprs = []
    for name, data_type in columns:
        col = quote_ident(name)
        if data_type.upper().split("(")[0] in TEXT_TYPES:
            exprs.append(f"case when regexp_matches({col}, {pattern}) then '''' || {col} else {col} end as {col}")
        else:
            exprs.append(col)
    return f"select {', '.join(exprs)} from {table_sql}"
