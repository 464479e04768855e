"""The ledger's landing SELECT is a template file (ingest/sources/ledger/parse_lines.sql) rendered with
quoted identifiers and literals: every placeholder filled, nothing left over, hostile names stay names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ingest.errors import IngestError
from ingest.sources.ledger import FIELDS, Mapping
from ingest.sources.ledger.parse_sql import PLACEHOLDER, build_select, render, template
from ingest.sql import quote_ident


def _mapping(**kw) -> Mapping:
    columns = {f: f for f in FIELDS} | kw.pop("columns", {})
    return Mapping(name=kw.pop("name", "t"), path=Path("t.yaml"), columns=columns, date_formats=["%Y-%m-%d"], **kw)


def test_render_needs_every_placeholder_and_no_other():
    assert render("a {{ x }} b {{y}}", {"x": "1", "y": "2"}) == "a 1 b 2"
    with pytest.raises(ValueError):
        render("a {{ x }}", {})
    with pytest.raises(ValueError):
        render("a {{ x }}", {"x": "1", "z": "2"})


def test_template_placeholders_are_what_build_select_fills():
    names = set(PLACEHOLDER.findall(template()))
    assert "source_sql" in names and "mapped_fields" in names and len(names) == 15
    sql = build_select(_mapping(), list(FIELDS), "select 1 as _row_number, 'x' as payee_name", ["%Y-%m-%d"], file="f")
    assert PLACEHOLDER.search(sql) is None


def _run(mapping: Mapping, header: list[str], rows: list[tuple]) -> list[tuple]:
    values = ", ".join(f"({i + 2}, " + ", ".join(repr(v) for v in r) + ")" for i, r in enumerate(rows))
    cols = ", ".join(quote_ident(h) for h in header)
    source = f"select * from (values {values}) as t(_row_number, {cols})"
    sql = build_select(mapping, header, source, mapping.date_formats, file="f")
    with duckdb.connect() as con:
        return con.execute(
            f"select payee_name, amount_usd, payment_date_value, parse_status, reject_reason from ({sql})"
        ).fetchall()


def test_rendered_select_parses_and_quotes_odd_headers():
    header = ['pay"ee', "state", "payment date", "fiscal_year", "category", "amount", "officers", "doc", "desc"]
    mapping = _mapping(
        name="it's",
        columns=dict(zip(FIELDS, header, strict=True)),
        money_format="eu",
    )
    rows = [
        ("A PD", "TX", "2025-01-02", "", "", "1.325,50", "", "", ""),
        ("B PD", "TX", "x", "", "", "1,325.50", "", "", ""),
    ]
    got = _run(mapping, header, rows)
    assert got[0][:4] == ("A PD", pytest.approx(1325.5), dt.date(2025, 1, 2), "ok")
    assert got[1][3] == "rejected" and "ambiguous 1,325.50" in got[1][4] and "payment_date" in got[1][4]


def test_a_nul_in_a_mapped_name_is_an_ingest_error_not_a_crash():
    with pytest.raises(IngestError, match="cannot be used"):
        build_select(_mapping(name="a\x00b"), list(FIELDS), "select 1", ["%Y-%m-%d"], file="f")
