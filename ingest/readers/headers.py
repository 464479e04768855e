"""The one header normaliser: how a printed header cell is compared with a known column name.

Every reader compares a header as printed with the names it knows after the same rule — runs of
whitespace (any Unicode whitespace: NBSP, tabs, line breaks) become one space, the ends are trimmed —
and one case folding. The sources differ only in the case they compare in, which is a parameter:
ICE sheets compare upper case (``STATE``), ledgers lower case, arrest releases ``casefold``. Each
caller turns its cell into text first (``cell_text`` for worksheet cells, ``str`` for delimited text),
so a blank or numeric cell keeps the meaning it had for that reader.
"""

from __future__ import annotations

from typing import Literal

Case = Literal["upper", "lower", "casefold"]

_FOLD = {"upper": str.upper, "lower": str.lower, "casefold": str.casefold}


def header_key(text: str, case: Case) -> str:
    """``'  Law\\u00a0Enforcement \\n Agency '`` -> ``'LAW ENFORCEMENT AGENCY'`` (case ``upper``)."""
    return _FOLD[case](" ".join(text.split()))
