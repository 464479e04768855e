"""Errors that name the file, row and column of bad input."""

from __future__ import annotations

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
