"""The one header normaliser (ingest.readers.headers) gives what each source's own copy gave.

The three copies it replaced are kept here verbatim as the reference: ICE sheets (regex, upper case,
``cell_text``), arrests (``str.split``, casefold, ``str(x or "")``) and ledgers (regex, lower case,
``str``). Each source now calls ``header_key`` with its case and its text conversion; these tests
fail if any of them would compare a header differently.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

from ingest.readers.headers import header_key
from ingest.readers.xlsx import cell_text
from ingest.sources.arrests import norm_header as arrests_norm
from ingest.sources.ice_sheets import _norm_header as ice_norm
from ingest.sources.ledger.mapping import norm as ledger_norm


def old_ice(value):
    text = cell_text(value) or ""
    return re.sub(r"\s+", " ", text).strip().upper()


def old_arrests(text):
    return " ".join(str(text or "").split()).casefold()


def old_ledger(text):
    return re.sub(r"\s+", " ", str(text)).strip().lower()


TEXTS = [
    "",
    " ",
    "STATE",
    "  Law Enforcement\u00a0Agency \n",
    "law\tenforcement\r\nagency",
    "Apprehension Date\u2003",
    "\u200bZERO WIDTH",  # not whitespace: kept
    "\x1c\x1d\x1e\x1fsep\x85next\u2028line\u2029",
    "Straße",
    "ǅ titlecase",
    "İstanbul ı",
    "ﬁle ligature",
    "Kelvin \u212a",
    "ſtate",
    "µ micro",
    "σς final sigma",
]
VALUES = [*TEXTS, None, 0, 0.0, 1, 1.0, 2.5, True, False, dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4)]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_source_compares_headers_as_its_own_copy_did(value):
    assert ice_norm(value) == old_ice(value)
    assert arrests_norm(value) == old_arrests(value)
    if isinstance(value, str):  # ledger headers are always text (csv cells, cell_text, mapping values)
        assert ledger_norm(value) == old_ledger(value)


def test_regex_whitespace_is_str_split_whitespace_for_every_code_point():
    """``re``'s ``\\s`` (ICE, ledger copies) and ``str.split()`` (arrests copy) agree on every character."""
    space = re.compile(r"\s")
    differ = [
        hex(c)
        for c in range(sys.maxunicode + 1)
        if bool(space.fullmatch(chr(c))) != (" ".join(f"a{chr(c)}b".split()) == "a b")
    ]
    assert differ == []


def test_case_is_a_parameter_because_the_three_cases_differ():
    """upper, lower and casefold compare some letters differently, so the case each source uses is kept."""
    assert header_key(" Straße ", "upper") == "STRASSE"
    assert header_key(" Straße ", "lower") == "straße"
    assert header_key(" Straße ", "casefold") == "strasse"


def test_blank_and_false_cells_differ_between_readers_so_conversion_stays_with_the_caller():
    """An arrest release treats a 0 / False header cell as blank (``str(x or "")``); an ICE sheet reads it."""
    assert arrests_norm(0) == "" and arrests_norm(False) == ""
    assert ice_norm(0) == "0" and ice_norm(False) == "FALSE"
