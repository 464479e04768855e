"""Errors that name the file, row and column of bad input."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.safe_text import fs_text


class IngestError(Exception):
    """A raw file cannot be loaded. Carries where the problem is, so the message can say it."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        row: int | None = None,
        column: str | None = None,
        examples: list[str] | None = None,
    ) -> None:
        self.reason = fs_text(message)
        self.file = fs_text(file) if file is not None else None
        self.row = row
        self.column = column
        self.examples = [fs_text(e) for e in examples or []]
        super().__init__(self.describe())

    def __reduce__(self):
        # pickled with its fields (a file read in a worker process comes back with its rejection)
        return (_rebuild_error, (type(self), self.__dict__))

    def describe(self) -> str:
        """One line: ``file, row R, column C: message``."""
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


def _rebuild_error(cls: type[IngestError], fields: dict) -> IngestError:
    error = cls.__new__(cls)
    error.__dict__.update(fields)
    Exception.__init__(error, error.describe())
    return error


class UnsafeFileError(IngestError):
    """The file looks hostile (zip bomb, XML entity expansion, path traversal) and is not opened."""


class NotThisSource(Exception):
    """The file resembles a known source but is not one (e.g. a monitor's derived workbook with ICE's
    columns in another order): it is skipped with this reason — never landed, never quarantined."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class WarehouseError(Exception):
    """The warehouse itself cannot be used (not a problem of any raw file); the run stops here."""


class WarehouseBusyError(WarehouseError):
    """Another process (a build, ingest or a client with the work file open) holds the work file's lock."""


class WarehouseWriteError(WarehouseError):
    """The warehouse cannot be written: disk full, file too large, read-only or not a DuckDB file."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (DuckDB's messages run over several lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def reader_error(exc: Exception, *, file: str, layout: str) -> IngestError:
    """A DuckDB reader's error (a malformed line of a file read by ``relation_sql``) as an IngestError
    naming the file, and the line and column when DuckDB's message says them."""
    text = str(exc)
    line = re.search(r"(?i)line:?\s*(\d+)", text)
    column = re.search(r"(?m)^\s*Column:\s*(\S+)", text)
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    first = lines[0] if lines else type(exc).__name__
    first += "".join(f"; {ln}" for ln in lines[1:4] if ln.startswith(("Expected", "Original Line")))
    return IngestError(
        f"{layout} reader refused the file: {first}",
        file=file,
        row=int(line.group(1)) if line else None,
        column=column.group(1).strip() if column else None,
        examples=[ln for ln in text.splitlines()[1:8] if ln.strip()],
    )
