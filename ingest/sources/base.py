"""What every raw source provides: detection by content or name, and parsing into rows to land."""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa

from ingest.readers.xlsx import Sheet, read_workbook
from ingest.safe_text import fs_text

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# what DuckDB would not read literally in a file path: glob characters, backslashes, undecodable bytes
_DUCKDB_UNSAFE_PATH = re.compile(r"[*?\[\]{}\\\ud800-\udfff]")
_LINK_DIR: list[Path] = []


def _reader_link_dir() -> Path:
    """A private temporary folder for plain-named links to raw files (removed when the process exits)."""
    if not _LINK_DIR:
        _LINK_DIR.append(Path(tempfile.mkdtemp(prefix="ice287g-read-")))
        atexit.register(shutil.rmtree, _LINK_DIR[0], True)
    return _LINK_DIR[0]


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class FileInfo:
    """A file found under the raw directory. Reads (and caches) its workbook only when asked."""

    path: Path
    rel_path: str
    size: int
    sha256: str

    @classmethod
    def from_path(cls, path: Path, root: Path) -> FileInfo:
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            rel = path.as_posix()
        return cls(path=path, rel_path=fs_text(rel), size=path.stat().st_size, sha256=sha256_file(path))

    @property
    def name(self) -> str:
        """The file's name as valid UTF-8 text (undecodable bytes shown as ``\\xff``)."""
        return fs_text(self.path.name)

    def duckdb_path(self) -> str:
        """A path DuckDB's readers (``read_csv``) open as exactly this file.

        DuckDB takes only UTF-8 file names and reads ``*``, ``?``, ``[...]`` and ``{...}`` as a glob
        and a backslash as a folder separator, so ``[bold]ledger.csv`` could open another file. Such
        a file is read through a plain-named symbolic link (``<sha256><suffixes>``) in a private
        temporary folder; other paths are passed as they are.
        """
        path = self.path.resolve()
        text = os.fsdecode(path)
        if not _DUCKDB_UNSAFE_PATH.search(text):
            return text
        link = _reader_link_dir() / (self.sha256 + "".join(s.lower() for s in self.path.suffixes[-2:]))
        if not link.is_symlink():
            os.symlink(os.fsencode(path), os.fsencode(link))
        return str(link)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def is_excel(self) -> bool:
        return self.suffix in EXCEL_SUFFIXES

    @cached_property
    def sheets(self) -> list[Sheet]:
        """Worksheets of an xlsx file (raises IngestError when it cannot be read)."""
        return read_workbook(self.path)

    def head_bytes(self, n: int = 65536) -> bytes:
        with open(self.path, "rb") as fh:
            return fh.read(n)


@dataclass
class Detection:
    """A source's claim on a file: which kind of file it is and how sure (``by``: content or name)."""

    source: str
    kind: str
    by: str = "content"
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Parsed:
    """Rows ready to land in one raw table, plus what goes into the load manifest.

    ``frame`` holds the rows (without lineage columns, which landing adds). Sources with very large
    files may instead give ``relation_sql``: a DuckDB SELECT that landing inserts from directly
    (``_row_number`` first, then ``meta["columns"]`` in order). When both are given, the frame is
    registered as ``_incoming`` for that SELECT to read (one parsing SQL for CSV and xlsx rows).
    ``arrow`` (optional) holds the same rows as ``frame`` as an Arrow table.
    """

    source: str
    kind: str
    layout: str
    table: str
    frame: pd.DataFrame | None = None
    relation_sql: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    n_rows: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    # The frame's rows as an Arrow table, when the source built them as Arrow first (landing inserts
    # it as it is; for any other frame landing converts the frame once). Given without a frame, the
    # frame is made from it (``to_pandas``) when first asked for: rows built as Arrow reach pandas only
    # where pandas is needed, and a worker process sends them back as Arrow alone.
    arrow: pa.Table | None = None

    def __post_init__(self) -> None:
        self._frame_source = self.arrow if self._frame is None else None

    def unbuilt_frame(self) -> pa.Table | None:
        """The Arrow rows the frame will be made from, while it has not been made (else None)."""
        return self._frame_source if self._frame is None else None

    @property
    def has_rows(self) -> bool:
        """True when the rows are a frame (built or to be built from ``arrow``), not only ``relation_sql``."""
        return self._frame is not None or self._frame_source is not None

    @property
    def columns(self) -> list[str]:
        """The frame's column names, without building it."""
        if self._frame is not None:
            return list(map(str, self._frame.columns))
        return list(self._frame_source.column_names) if self._frame_source is not None else []


def _get_frame(self: Parsed) -> pd.DataFrame | None:
    if self._frame is None and self._frame_source is not None:
        self._frame = self._frame_source.to_pandas()
    return self._frame


def _set_frame(self: Parsed, frame: pd.DataFrame | None) -> None:
    self._frame = frame


# ``frame`` stays a dataclass field (an argument of Parsed(...), in its repr and equality); reading it
# builds the frame from ``arrow`` when only Arrow rows were given.
Parsed._frame = None
Parsed.frame = property(_get_frame, _set_frame, doc="The rows as a pandas frame (see ``arrow``).")


class Source:
    """Base class of a raw source. Subclasses set ``name`` and ``tables`` and implement the two methods."""

    name: ClassVar[str] = ""
    # raw table name -> list of (column, DuckDB type) after the lineage columns
    tables: ClassVar[dict[str, list[tuple[str, str]]]] = {}

    def detect(self, file: FileInfo) -> Detection | None:
        """Return a Detection when this source recognises the file, else None. May raise IngestError
        when the file claims to be this source's but cannot be read."""
        raise NotImplementedError

    def parse(self, file: FileInfo, detection: Detection, context: LoadContext) -> Parsed:
        """Read the file into rows for one raw table; raise IngestError naming file, row and column."""
        raise NotImplementedError


@dataclass
class LoadContext:
    """Run-wide inputs a source may need (publication date overrides, the time of the run)."""

    raw_dir: Path
    date_overrides: dict[str, Any] = field(default_factory=dict)
    # The build's warehouse folder (holds secrets/person_key); None when parsing outside a build.
    warehouse_dir: Path | None = None
