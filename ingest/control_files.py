"""Control files beside the raw data (publication date overrides, ledger mappings): one rule for all.

A control file changes how raw files are read, so it must be exactly the file the user put there: a
regular file inside the raw folder (never followed through a symbolic link, never in a hidden folder —
the same rule as data files), small (``MAX_CONTROL_BYTES``) and UTF-8 text. Anything else is refused
with an ``IngestError`` naming the file, and what depends on it is not landed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.safe_text import fs_text

OVERRIDE_FILE = "publication_dates.csv"
MAX_CONTROL_BYTES = 256 * 1024  # a mapping or an override list is a few kilobytes


def read_control_text(path: Path, shown: str | Path | None = None) -> str:
    """The text of a control file, or IngestError (symlink, not a regular file, too large, not UTF-8)."""
    shown = fs_text(shown if shown is not None else path)
    if path.is_symlink():
        raise IngestError("is a symbolic link; control files are not followed (copy the file instead)", file=shown)
    if not path.is_file():
        raise IngestError("is not a regular file", file=shown)
    size = path.stat().st_size
    if size > MAX_CONTROL_BYTES:
        raise IngestError(f"is {size:,} bytes; a control file may have at most {MAX_CONTROL_BYTES:,}", file=shown)
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("is UTF-16 (byte-order mark); save it as UTF-8", file=shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(f"is not UTF-8 text (byte 0x{data[exc.start]:02x})", file=shown, row=line) from exc


@dataclass
class Overrides:
    """Publication dates fixed by hand, by file name or sha256, and where each came from."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # key -> "<file>, row <n>"


def read_overrides(path: Path, rel: str, into: Overrides) -> None:
    """Add one ``publication_dates.csv`` (file_name or file_sha256, published_date) to ``into``.

    Raises IngestError naming file, row and column for anything it cannot use: then none of its rows
    apply (a partial set of corrections would silently date some sheets wrongly).
    """
    text = read_control_text(path, rel)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or []]
        if "published_date" not in header or not ({"file_name", "file_sha256"} & set(header)):
            raise IngestError(f"header {header} must name published_date and file_name or file_sha256", file=rel, row=1)
        found: dict[str, tuple[dt.date, str]] = {}
        for i, row in enumerate(reader, start=2):
            row = {(k or "").strip(): (v if isinstance(v, str) else "") for k, v in row.items()}
            key = (row.get("file_sha256") or "").strip() or (row.get("file_name") or "").strip()
            printed = row.get("published_date") or ""
            if not key and not printed.strip():
                continue  # a blank line
            if not key:
                raise IngestError("no file_name or file_sha256", file=rel, row=i, column="file_name")
            try:
                date = dt.date.fromisoformat(printed.strip())
            except ValueError as exc:
                raise IngestError(
                    f"published_date {printed!r} is not a YYYY-MM-DD date", file=rel, row=i, column="published_date"
                ) from exc
            where = f"{rel}, row {i}"
            earlier = found.get(key) or ((into.dates[key], into.origin[key]) if key in into.dates else None)
            if earlier and earlier[0] != date:
                raise IngestError(
                    f"{key!r} is dated {date} here but {earlier[0]} at {earlier[1]}",
                    file=rel,
                    row=i,
                    column="published_date",
                )
            found[key] = (date, where)
    except csv.Error as exc:
        raise IngestError(f"not a readable CSV file: {exc}", file=rel) from exc
    for key, (date, where) in found.items():
        into.dates[key] = date
        into.origin[key] = where
