"""Ingest a raw directory: find files, classify them, validate and land each one on its own."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest import landing
from ingest.errors import IngestError
from ingest.sources import all_sources
from ingest.sources.base import FileInfo, LoadContext
from ingest.validation import ValidationFailed, validate

OVERRIDE_FILE = "publication_dates.csv"
IGNORED_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    status: str  # loaded | already_loaded | skipped | rejected
    detail: str = ""
    source: str | None = None
    kind: str | None = None
    layout: str | None = None
    n_rows: int = 0
    published_date: dt.date | None = None


@dataclass
class IngestSummary:
    """Every file's outcome and the rows per raw table after the run."""

    raw_dir: Path
    outcomes: list[FileOutcome] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)

    def by_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def rejected(self) -> list[FileOutcome]:
        return self.by_status("rejected")


class RawDirError(IngestError):
    """The raw directory is missing or holds no files."""


def scan(raw_dir: Path) -> list[Path]:
    """Every regular file below raw_dir (recursive, sorted), skipping hidden files and folders."""
    files = []
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts) or path.name in IGNORED_NAMES:
            continue
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def read_overrides(raw_dir: Path) -> dict[str, dt.date]:
    """Publication dates fixed by hand: ``publication_dates.csv`` (file_name or file_sha256, published_date)."""
    overrides: dict[str, dt.date] = {}
    for path in raw_dir.rglob(OVERRIDE_FILE):
        with open(path, newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                key = (row.get("file_sha256") or row.get("file_name") or "").strip()
                try:
                    overrides[key] = dt.date.fromisoformat((row.get("published_date") or "").strip())
                except ValueError as exc:
                    raise IngestError(
                        f"published_date {row.get('published_date')!r} is not YYYY-MM-DD",
                        file=path, row=i, column="published_date",
                    ) from exc
    return overrides


def ingest_dir(
    raw_dir: Path,
    db_path: Path,
    *,
    on_file: Callable[[FileOutcome], None] | None = None,
    quarantine_dir: Path | None = None,
) -> IngestSummary:
    """Land every new recognised file under raw_dir into the work file at db_path."""
    raw_dir = Path(raw_dir)
    if not raw_dir.exists():
        raise RawDirError(f"raw directory does not exist: {raw_dir}")
    if not raw_dir.is_dir():
        raise RawDirError(f"raw directory is not a directory: {raw_dir}")
    paths = scan(raw_dir)
    if not paths:
        raise RawDirError(f"raw directory holds no files: {raw_dir}")
    sources = all_sources()
    context = LoadContext(raw_dir=raw_dir, date_overrides=read_overrides(raw_dir),
                          warehouse_dir=Path(db_path).parent)
    summary = IngestSummary(raw_dir=raw_dir)
    con = landing.connect(db_path, sources)
    try:
        seen = landing.loaded_shas(con)
        for path in paths:
            outcome = _ingest_one(con, path, raw_dir, sources, context, seen, quarantine_dir)
            summary.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
        summary.table_rows = landing.table_counts(con, sources)
        con.execute("checkpoint")
    finally:
        con.close()
    return summary


def _ingest_one(con, path, raw_dir, sources, context, seen, quarantine_dir) -> FileOutcome:
    rel = path.relative_to(raw_dir).as_posix()
    if path.name == OVERRIDE_FILE:
        return FileOutcome(rel, "skipped", "publication date overrides (control file)")
    try:
        file = FileInfo.from_path(path, raw_dir)
    except OSError as exc:
        err = IngestError(f"cannot read file: {exc}", file=rel)
        landing.record_rejection(con, None, rel, "read", err)
        return FileOutcome(rel, "rejected", err.describe())
    if file.sha256 in seen:
        landing.record_name(con, file)
        same = seen[file.sha256]
        detail = "already loaded" if same == rel else f"already loaded (same bytes as {same})"
        return FileOutcome(rel, "already_loaded", detail)
    stage = "detect"
    try:
        detection = None
        for source in sources:
            detection = source.detect(file)
            if detection:
                break
        if detection is None:
            return FileOutcome(rel, "skipped", "not a recognised raw file")
        source = next(s for s in sources if s.name == detection.source)
        stage = "parse"
        parsed = source.parse(file, detection, context)
        stage = "validate"
        results = validate(file, parsed)
        stage = "land"
        n_rows = landing.land(con, file, parsed, results)
    except IngestError as exc:
        if isinstance(exc, ValidationFailed):
            landing.record_validation(con, file, exc.results)
        landing.record_rejection(con, file, rel, stage, exc)
        _write_quarantine_report(quarantine_dir, file, stage, exc)
        return FileOutcome(rel, "rejected", exc.describe())
    except Exception as exc:  # an unexpected reader failure is a rejection, not a crash
        err = IngestError(f"unexpected {type(exc).__name__} while reading: {exc}", file=rel)
        landing.record_rejection(con, file, rel, stage, err)
        _write_quarantine_report(quarantine_dir, file, stage, err)
        return FileOutcome(rel, "rejected", err.describe())
    seen[file.sha256] = rel
    return FileOutcome(
        rel, "loaded", f"{parsed.layout}, {n_rows} rows", parsed.source, parsed.kind, parsed.layout, n_rows,
        parsed.meta.get("published_date"),
    )


def _write_quarantine_report(quarantine_dir: Path | None, file: FileInfo, stage: str, exc: IngestError) -> None:
    if quarantine_dir is None:
        return
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    report = quarantine_dir / f"{file.sha256[:16]}.txt"
    lines = [
        f"file: {file.rel_path}",
        f"sha256: {file.sha256}",
        f"stage: {stage}",
        f"reason: {exc.describe()}",
    ]
    if exc.examples:
        lines.append("examples:")
        lines.extend(f"  {e}" for e in exc.examples)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
