"""The ledger's landing SELECT: ``parse_lines.sql`` rendered for one mapping and one header.

The parsing rules (money, dates, fiscal years, officer counts, categories, reject reasons) are SQL in
``parse_lines.sql``, a file sqlfluff and a reader see whole; this module only builds the few
expressions that depend on the mapping (which columns, which date formats, which keywords), quoting
every identifier and literal with ``ingest.sql``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ingest.errors import IngestError
from ingest.sources.ledger.mapping import CATEGORIES, FIELDS, REQUIRED_FIELDS, Mapping, norm
from ingest.sql import quote_ident, quote_literal

TEMPLATE = Path(__file__).with_name("parse_lines.sql")
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")

# Excel serials accepted as dates: 1990-01-01 .. 2099-12-31
SERIAL_MIN, SERIAL_MAX = 32874, 73415
YEAR_MIN, YEAR_MAX = 1990, 2099

# money: optional sign / parentheses / $ / USD around a body of digits
MONEY_SHELL = r"^\(?\s*-?\s*(USD\s*)?\$?\s*-?\s*([0-9][0-9.,]*)\s*\)?$"
US_BODY = r"([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]{1,2})?"
EU_BODY = r"([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?"
# a body the other convention would read differently: 1.325,00 / 1.325 / 12,5 under us; mirrored for eu
US_LOOKS_EU = r"([0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?|[0-9]+,[0-9]{1,2})"
EU_LOOKS_US = r"([0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?|[0-9]+\.[0-9]{1,2})"


@cache
def template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{{ name }}`` replaced by ``values[name]``; every name given, every value used."""
    used = set(PLACEHOLDER.findall(text))
    if used != set(values):
        raise ValueError(f"template placeholders {sorted(used)} != values {sorted(values)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _mapped_fields(mapping: Mapping, header: list[str], file: str) -> str:
    """``cast("<printed header>" as varchar) as <field>`` for every canonical field (null when unmapped)."""
    by_norm: dict[str, str] = {}
    for h in header:
        by_norm.setdefault(norm(h), h)
    fields: dict[str, str] = {}
    for f in FIELDS:
        printed = mapping.columns.get(f)
        if printed is None:
            fields[f] = "cast(null as varchar)"
        elif norm(printed) in by_norm:
            fields[f] = f"cast({quote_ident(by_norm[norm(printed)])} as varchar)"
        elif f in REQUIRED_FIELDS:
            raise IngestError(f"ledger has no column {printed!r} (mapping {mapping.name})", file=file, column=printed)
        else:
            raise IngestError(
                f"mapping {mapping.name} names column {printed!r} for {f}, which the ledger lacks",
                file=file,
                column=printed,
            )
    return ",\n        ".join(f"{expr} as {f}" for f, expr in fields.items())


def _date_lists(formats: list[str]) -> tuple[str, str]:
    """The SQL lists of candidate dates (one per format) and of the formats' names."""
    date_exprs = []
    for fmt in formats:
        if fmt == "excel_serial":
            date_exprs.append(
                "case when regexp_full_match(d_t, '[0-9]{5}(\\.0+)?') "
                f"and cast(cast(d_t as double) as integer) between {SERIAL_MIN} and {SERIAL_MAX} "
                "then cast(date '1899-12-30' + cast(cast(d_t as double) as integer) as date) end"
            )
        else:
            date_exprs.append(f"cast(try_strptime(d_t, {quote_literal(fmt)}) as date)")
    return "[" + ", ".join(date_exprs) + "]", "[" + ", ".join(quote_literal(f) for f in formats) + "]"


def _category_exprs(mapping: Mapping) -> tuple[str, str]:
    """The category code (printed code, else the first keyword rule that hits, else other) and its method."""
    cat_rules = []
    for code, words in mapping.categories:
        alternation = "|".join(re.escape(w.lower()) for w in words)
        cat_rules.append((code, f"(^|[^a-z0-9])({alternation})($|[^a-z0-9])"))
    codes = ", ".join(quote_literal(c) for c in CATEGORIES)
    cat_exprs = []
    for src in mapping.category_from:
        col = f"lower({src}_t)"
        rule_whens = " ".join(
            f"when regexp_matches({col}, {quote_literal(rx)}) then {quote_literal(code)}" for code, rx in cat_rules
        )
        cat_exprs.append((src, f"case when {col} in ({codes}) then {col} {rule_whens} end"))
    category_code = "coalesce(" + ", ".join([e for _, e in cat_exprs] + ["'other'"]) + ")" if cat_exprs else "'other'"
    method_whens = " ".join(
        f"when lower({src}_t) in ({codes}) then {quote_literal('code:' + src)} "
        f"when ({expr}) is not null then {quote_literal('keyword:' + src)}"
        for src, expr in cat_exprs
    )
    any_cat_text = " or ".join(f"{src}_t is not null" for src in mapping.category_from) or "false"
    category_method = (
        f"case {method_whens} when {any_cat_text} then 'unmapped' else 'blank' end" if method_whens else "'blank'"
    )
    return category_code, category_method


def build_select(mapping: Mapping, header: list[str], source_sql: str, formats: list[str], *, file: str) -> str:
    """The landing SELECT: printed fields as text plus parsed values and a reject reason per line."""
    us = mapping.money_format == "us"
    other_style = "1.325,00" if us else "1,325.00"
    try:
        date_list, method_list = _date_lists(formats)
        category_code, category_method = _category_exprs(mapping)
        values = {
            "source_sql": source_sql,
            "mapped_fields": _mapped_fields(mapping, header, file),
            "money_shell": quote_literal(MONEY_SHELL),
            "money_body": quote_literal(US_BODY if us else EU_BODY),
            "money_other_style": quote_literal(US_LOOKS_EU if us else EU_LOOKS_US),
            "thousands": quote_literal("," if us else "."),
            "decimal_mark": quote_literal("." if us else ","),
            "ambiguous_note": quote_literal(
                f" (reads as {other_style}-style money but the mapping says money_format: {mapping.money_format})"
            ),
            "date_list": date_list,
            "method_list": method_list,
            "year_min": str(YEAR_MIN),
            "year_max": str(YEAR_MAX),
            "mapping_name": quote_literal(mapping.name),
            "category_code": category_code,
            "category_method": category_method,
        }
    except ValueError as exc:  # a NUL in a mapped name or keyword: no SQL text can hold it
        raise IngestError(f"ledger mapping {mapping.name!r} cannot be used: {exc}", file=file) from exc
    return render(template(), values)
