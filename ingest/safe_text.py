"""Text that came from outside (file names, cell values, error messages) made safe to store and print.

File names on Linux are bytes: a name that is not valid UTF-8 reaches Python with surrogate escapes
(``'\\udcff'``), which neither DuckDB nor a UTF-8 terminal accepts. Control characters (NUL, ESC of an
ANSI sequence, backspace, ...) in a name or a value would rewrite the user's terminal. Both are shown
as visible escapes; nothing is dropped, so the shown name still identifies the file.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

# C0 controls except tab/newline/carriage return, DEL, C1 controls, and lone surrogates
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def fs_text(value: str | os.PathLike[str]) -> str:
    """A path or name as valid UTF-8 text: undecodable bytes become ``\\xff``-style escapes."""
    text = os.fspath(value) if isinstance(value, os.PathLike | PurePath) else str(value)
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return os.fsencode(text).decode("utf-8", errors="backslashreplace")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:  # a surrogate escape of an undecodable byte (0xDC80..0xDCFF)
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
    return f"\\x{code:02x}"


def printable(value: object, *, keep_newlines: bool = True) -> str:
    """Text for a terminal or a one-line report: control characters and undecodable bytes as escapes."""
    text = fs_text(value) if isinstance(value, str | os.PathLike) else str(value)
    return (_CONTROL if keep_newlines else _CONTROL_OR_SPACE).sub(_escape, text)


def storable(value: str | None) -> str | None:
    """Text DuckDB accepts (valid UTF-8): surrogate escapes become ``\\xff``-style text."""
    return None if value is None else fs_text(value)
