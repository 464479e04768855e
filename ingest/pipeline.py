"""Ingest a raw directory: find files, classify them, validate and land each one on its own."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

import duckdb
import pyarrow as pa

from ingest import landing
from ingest.control_files import OVERRIDE_FILE, Overrides, read_overrides
from ingest.errors import IngestError, WarehouseWriteError, first_line
from ingest.read_pool import POOL_SOURCES, Examined, ReadPool, ReadTask, examine
from ingest.safe_text import fs_text
from ingest.sources import all_sources
from ingest.sources.base import EXCEL_SUFFIXES, FileInfo, LoadContext, Parsed, Source
from ingest.sources.ice_dates import PublicationDate, decide, read_name, read_name_against
from ingest.validation import CheckResult, failure_of, validate_many

CORRECTED_NAME_METHODS = ("filename_year_rolled", "filename_digits_repaired")
IGNORED_NAMES = {".DS_Store", "Thumbs.db"}
# Files (and rows) landed per transaction: fewer statements and one WAL fsync per batch, not per file.
LAND_BATCH_FILES = 64
LAND_BATCH_ROWS = 250_000


Status = Literal["loaded", "already_loaded", "skipped", "rejected"]
Stage = Literal["read", "detect", "parse", "validate", "land"]


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    status: Status
    detail: str = ""
    source: str | None = None
    kind: str | None = None
    layout: str | None = None
    n_rows: int = 0
    published_date: dt.date | None = None
    stage: Stage | None = None  # where a rejected file was stopped
    checks: list[CheckResult] = field(default_factory=list)  # validation results (see ingest.validation)
    examples: list[str] = field(default_factory=list)  # example rows of a rejection


@dataclass
class IngestSummary:
    """Every file's outcome and the rows per raw table after the run."""

    raw_dir: Path
    outcomes: list[FileOutcome] = field(default_factory=list)
    raw_dirs: list[Path] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)

    def by_status(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def rejected(self) -> list[FileOutcome]:
        return self.by_status("rejected")


class RawDirError(IngestError):
    """The raw directory is missing or holds no files."""


def _hidden_or_ignored(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts) or rel.name in IGNORED_NAMES


def scan_entries(raw_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Regular files below raw_dir (recursive, sorted) and the entries that are not read, with why.

    Hidden files and folders (and ``.DS_Store``-style litter) are left out silently; symbolic links
    (to files or folders) and special files (FIFOs, devices, sockets) are listed, never followed.
    """
    files: list[Path] = []
    others: list[tuple[Path, str]] = []
    for top, dirs, names in os.walk(raw_dir, followlinks=False):
        top_path = Path(top)
        for d in sorted(dirs):
            path = top_path / d
            if path.is_symlink() and not _hidden_or_ignored(path.relative_to(raw_dir)):
                others.append((path, "symbolic link to a folder: not followed (copy the files into the raw folder)"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top_path / d).is_symlink())
        for name in names:
            path = top_path / name
            if _hidden_or_ignored(path.relative_to(raw_dir)):
                continue
            if path.is_symlink():
                others.append((path, "symbolic link: not followed (copy the file into the raw folder)"))
            elif path.is_file():
                files.append(path)
            else:
                others.append((path, "not a regular file (a FIFO, socket or device): not read"))
    return sorted(files), sorted(others)


def scan(raw_dir: Path) -> list[Path]:
    """Every regular file below raw_dir (recursive, sorted), skipping hidden files and folders and links."""
    return scan_entries(raw_dir)[0]


def _rel(path: Path, raw_dir: Path) -> str:
    """A file's path below the raw folder as valid UTF-8 text (undecodable bytes as ``\\xff``)."""
    return fs_text(path.relative_to(raw_dir).as_posix())


def _raw_dirs(raw_dir: Path | Sequence[Path]) -> list[Path]:
    """One or several raw directories (``--raw-dir`` may be given more than once), each checked."""
    dirs = [Path(raw_dir)] if isinstance(raw_dir, str | Path) else [Path(d) for d in raw_dir]
    if not dirs:
        raise RawDirError("no raw directory given")
    for d in dirs:
        if not d.exists():
            raise RawDirError(f"raw directory does not exist: {d}")
        if not d.is_dir():
            raise RawDirError(f"raw directory is not a directory: {d}")
    return dirs


def ingest_dir(
    raw_dir: Path | Sequence[Path],
    db_path: Path,
    *,
    on_file: Callable[[FileOutcome], None] | None = None,
    quarantine_dir: Path | None = None,
) -> IngestSummary:
    """Land every new recognised file under raw_dir (one folder or several) into the work file at db_path.

    Raises RawDirError for an unusable raw folder, WarehouseBusyError when another process holds the
    work file, WarehouseWriteError when it cannot be written (disk full, read-only); a problem of one
    raw file never raises: it is that file's outcome.
    """
    with _older_objects_frozen():
        return _ingest_dir(raw_dir, db_path, on_file, quarantine_dir)


@contextlib.contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Leave the objects that exist before an ingest (modules, the caller's data) out of the garbage
    collector's passes during it (``gc.freeze``), and put them back after (``gc.unfreeze``).

    A run allocates many containers (every sheet's rows are lists), so the collector runs often, and
    each full pass walked every object of pandas, pyarrow and DuckDB's modules too: 8-60 ms of a 0.45 s
    ingest of realdata's 31 sheets. Nothing the run makes is exempt: its own garbage is collected as
    before. The workers of the read pool, forked inside, inherit the frozen objects (and share their
    pages, which a pass would otherwise touch). A caller that froze objects itself is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _ingest_dir(
    raw_dir: Path | Sequence[Path],
    db_path: Path,
    on_file: Callable[[FileOutcome], None] | None,
    quarantine_dir: Path | None,
) -> IngestSummary:
    raw_dirs = _raw_dirs(raw_dir)
    scanned = [(d, *scan_entries(d)) for d in raw_dirs]
    paths = [(d, p) for d, files, _ in scanned for p in files]
    not_read = [(d, p, why) for d, _, others in scanned for p, why in others]
    if not paths:
        shown = ", ".join(str(d) for d in raw_dirs)
        raise RawDirError(f"raw directory holds no files: {shown}")
    sources = all_sources()
    summary = IngestSummary(raw_dir=raw_dirs[0], raw_dirs=raw_dirs)
    # workers for the workbooks, forked before the work file is opened (see ingest.read_pool)
    pool = ReadPool.start(_workbook_bytes(p for _, p in paths))
    opener = None
    try:
        db = Path(db_path)
        if pool is not None and not db.exists():
            # a new warehouse has nothing landed, so its workbooks need nothing from the work file: they are
            # read while it is made (DuckDB releases the interpreter lock; ~0.04 s, a tenth of realdata's ingest)
            opener = ThreadPoolExecutor(1, thread_name_prefix="open-work-file")
            run = IngestRun(
                opener.submit(landing.connect, db, sources, threads=landing.land_threads()),
                sources,
                db.parent,
                quarantine_dir,
            )
        else:
            con = landing.connect(db, sources, threads=landing.land_threads())
            run = IngestRun(con, sources, db.parent, quarantine_dir, seen=landing.loaded_shas(con))
        run.pool = pool
        try:
            run.ingest(paths, not_read, summary, on_file)
        except (duckdb.Error, OSError) as exc:
            if not landing.is_storage_failure(exc):
                raise
            raise WarehouseWriteError(f"cannot write the work file {db_path}: {first_line(exc)}") from exc
        finally:
            run.close()
    finally:
        if opener is not None:
            opener.shutdown(wait=True)
        if pool is not None:
            pool.close()
    return summary


def _workbook_bytes(paths: Iterable[Path]) -> int:
    """Total size of the workbooks among ``paths`` (one that cannot be read counts 0: its read reports it)."""
    total = 0
    for path in paths:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            with contextlib.suppress(OSError):
                total += path.stat().st_size
    return total


def redate_publications(con, overrides: dict[str, dt.date]) -> int:
    """Decide every ICE sheet's publication date and time over all its names (``ice_dates.decide``).

    Run after each ingest, so the date does not depend on which name or run brought the bytes first:
    a name found later (or a participating twin landed later) re-dates the sheet. Participating sheets
    are decided first; a pending sheet may take its participating twin's date. Returns the rows changed.
    """
    rows = con.execute(
        """
        select m.file_sha256, m.kind, m.latest_signed_date, list(n.source_file order by n.source_file)
        from raw.load_manifest m
        join raw.load_file_names n using (file_sha256)
        where m.source = 'ice'
        group by all
        """
    ).fetchall()
    rows.sort(key=lambda r: (r[1] == "pending", r[0]))  # participating first: pending may take a twin's date
    twins: dict[str, list[PublicationDate]] = {}
    decided = []
    for sha, kind, latest, files in rows:
        paths = [PurePosixPath(f) for f in files]
        override = overrides.get(sha) or next((overrides[p.name] for p in paths if p.name in overrides), None)
        twin = None
        if kind == "pending":
            found = {t.published_date: t for p in paths for t in twins.get(_stamp_key(p), [])}
            twin = next(iter(found.values())) if len(found) == 1 else None  # ambiguous twins: none
        pub = decide(paths, latest, override=override, twin=twin)
        if kind == "participating":
            # a name corrected against its SIGNED dates (a year rolled, digits repaired) corrects its pending twin
            for p in paths:
                reading = read_name_against(p.name, latest)
                if reading is not None and reading.stamp_key and reading.method in CORRECTED_NAME_METHODS:
                    twins.setdefault(reading.stamp_key, []).append(reading)
        decided.append((sha, pub.published_date, pub.published_at, pub.method, pub.filename_date, pub.flag))
    if not decided:
        return 0
    con.execute("begin transaction")
    try:
        con.execute(
            "create or replace temp table _redated (file_sha256 varchar, published_date date, "
            "published_at timestamp, date_method varchar, filename_date date, date_flag varchar)"
        )
        _insert_redated(con, decided)
        changed = con.execute(
            """
            update raw.load_manifest m set
                published_date = r.published_date, published_at = r.published_at, date_method = r.date_method,
                filename_date = r.filename_date, date_flag = r.date_flag
            from _redated r
            where m.file_sha256 = r.file_sha256
              and (m.published_date is distinct from r.published_date
                   or m.published_at is distinct from r.published_at
                   or m.date_method is distinct from r.date_method
                   or m.date_flag is distinct from r.date_flag)
            """
        ).fetchone()[0]
        con.execute("drop table _redated")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return int(changed)


REDATED_SCHEMA = pa.schema(
    [
        ("file_sha256", pa.string()),
        ("published_date", pa.date32()),
        ("published_at", pa.timestamp("us")),
        ("date_method", pa.string()),
        ("filename_date", pa.date32()),
        ("date_flag", pa.string()),
    ]
)


def _insert_redated(con: duckdb.DuckDBPyConnection, decided: list[tuple]) -> None:
    """The decided dates into ``_redated`` in one Arrow INSERT (``executemany`` costs ~1 ms a row)."""
    columns = list(zip(*decided, strict=True))
    rows = pa.table([pa.array(c, f.type) for c, f in zip(columns, REDATED_SCHEMA, strict=True)], schema=REDATED_SCHEMA)
    con.register("_incoming_redated", rows)
    try:
        con.execute("insert into _redated select * from _incoming_redated")
    finally:
        con.unregister("_incoming_redated")


def _stamp_key(path: PurePosixPath) -> str | None:
    return read_name(path.name).stamp_key


def _file_info(path: Path, raw_dir: Path) -> FileInfo | None:
    try:
        return FileInfo.from_path(path, raw_dir)
    except OSError:
        return None


@dataclass
class _Pending:
    """A parsed file waiting for validation and landing (or a same-bytes copy of one)."""

    rel: str
    file: FileInfo
    source: Source | None = None
    parsed: Parsed | None = None
    results: list[CheckResult] = field(default_factory=list)
    duplicate_of: _Pending | None = None
    outcome: FileOutcome | None = None


@dataclass
class IngestRun:
    """The state one ingest run threads through every file: the open work file, the sources, where
    quarantine reports go, what is already landed, and what the control files decided."""

    opened: duckdb.DuckDBPyConnection | Future[duckdb.DuckDBPyConnection]  # the work file, or its opening
    sources: list[Source]
    warehouse_dir: Path
    quarantine_dir: Path | None = None
    seen: dict[str, str] = field(default_factory=dict)  # sha256 -> source_file of every landed file
    overrides: Overrides = field(default_factory=Overrides)  # publication dates from the control files
    held_back: IngestError | None = None  # a quarantined control file the ICE sheets depend on
    context: LoadContext | None = None
    pending_by_sha: dict[str, _Pending] = field(default_factory=dict)  # new files read in this run
    known_names: list[FileInfo] = field(default_factory=list)  # names found this run of bytes landed before
    pool: ReadPool | None = None  # worker processes for pass 1 (large ingests only)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open work file; while it is still being opened beside the reads, once it is (its opening's
        error, e.g. WarehouseBusyError, is raised here)."""
        if isinstance(self.opened, Future):
            self.opened = self.opened.result()
        return self.opened

    def close(self) -> None:
        """Close the work file (once it is open: an opening still running is waited for)."""
        with contextlib.suppress(Exception):  # an opening that failed has nothing to close
            con = self.con
            with contextlib.suppress(duckdb.Error):
                con.close()

    def ingest(
        self,
        paths: list[tuple[Path, Path]],
        not_read: list[tuple[Path, Path, str]],
        summary: IngestSummary,
        on_file: Callable[[FileOutcome], None] | None = None,
    ) -> None:
        """The passes of ingest_dir over the scanned (raw directory, file) pairs (see there)."""
        # 0. control files: publication date overrides (one bad file holds back the ICE sheets)
        steps: list[FileOutcome | _Pending] = self.read_control_files(paths, not_read)
        first_dir = paths[0][0] if paths else not_read[0][0]
        self.context = LoadContext(
            raw_dir=first_dir, date_overrides=self.overrides.dates, warehouse_dir=self.warehouse_dir
        )
        # 1. read: hash, de-duplicate, detect and parse every file (nothing is written yet but rejections)
        steps.extend(self.read_all([(d, p) for d, p in paths if p.name != OVERRIDE_FILE]))
        if self.pool is not None:  # every read is done: the workers exit while the files are validated and landed
            self.pool.close(wait=False)
        landing.record_names(self.con, self.known_names)
        # 2. validate: each suite runs once over all the new files it gates
        to_check = [p for p in steps if isinstance(p, _Pending) and p.duplicate_of is None]
        checked = validate_many([(p.file, p.parsed, p.source) for p in to_check])
        for p, results in zip(to_check, checked, strict=True):
            p.results = results
        # 3. land or quarantine in path order, several files per transaction (see land_steps)
        self.land_steps(steps, summary, on_file)
        # 4. date every ICE publication again from all the names its bytes arrived under
        redate_publications(self.con, self.overrides.dates)
        summary.table_rows = landing.table_counts(self.con, self.sources)
        self.con.execute("checkpoint")

    def land_steps(
        self,
        steps: list[FileOutcome | _Pending],
        summary: IngestSummary,
        on_file: Callable[[FileOutcome], None] | None = None,
    ) -> None:
        """Land or quarantine every step in order (control files first, then the data files in path
        order, originals before copies) and report each outcome in that order.

        A run of consecutive files that pass validation lands in one transaction (``land_batch``, up to
        LAND_BATCH_FILES files / LAND_BATCH_ROWS rows), with the other names of same-bytes copies among
        them; a file refused on the way (validation, a copy of a refused file) ends the run and is
        quarantined on its own. When a batch's transaction fails, it is rolled back and its files land
        one by one (``finish``), so only the file that fails is quarantined (stage ``land``).
        """
        i = 0
        while i < len(steps):
            batch: list[_Pending] = []
            copies: list[_Pending] = []
            j, n_rows = i, 0
            while j < len(steps) and len(batch) < LAND_BATCH_FILES and n_rows < LAND_BATCH_ROWS:
                step = steps[j]
                if isinstance(step, _Pending) and self._batchable(step, batch):
                    (copies if step.duplicate_of is not None else batch).append(step)
                    n_rows += step.parsed.n_rows if step.duplicate_of is None and step.parsed else 0
                elif not isinstance(step, FileOutcome):
                    break
                j += 1
            if batch or copies:
                self._land_batch(batch, copies)
            elif j == i:  # a file refused here (or a copy of a refused one): on its own
                j = i + 1
            for step in steps[i:j]:
                outcome = step if isinstance(step, FileOutcome) else (step.outcome or self.finish(step))
                summary.outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
            i = j

    def _batchable(self, step: _Pending, batch: list[_Pending]) -> bool:
        """A file that passed validation, or a copy of a file landed before or in this batch."""
        if step.duplicate_of is not None:
            original = step.duplicate_of
            landed = original.outcome is not None and original.outcome.status == "loaded"
            return landed or any(b is original for b in batch)
        return step.parsed is not None and failure_of(step.file, step.results) is None

    def _land_batch(self, batch: list[_Pending], copies: list[_Pending]) -> None:
        """Land ``batch`` (and the names of ``copies``) in one transaction; one by one when it fails."""
        items = [landing.Landable(p.file, p.parsed, p.results) for p in batch]
        try:
            counts = landing.land_batch(self.con, items, [c.file for c in copies])
        except (duckdb.Error, OSError) as exc:
            if landing.is_storage_failure(exc):
                raise  # the warehouse, not a file: ingest_dir stops the run with WarehouseWriteError
            return  # rolled back: each file lands alone in land_steps (finish), the bad one is quarantined
        except Exception:  # IngestError, an Arrow conversion, a value that does not fit its raw column
            return
        for step, n_rows in zip(batch, counts, strict=True):
            step.outcome = self._loaded(step, n_rows)
        for step in copies:
            step.outcome = FileOutcome(
                step.rel, "already_loaded", f"already loaded (same bytes as {step.duplicate_of.rel})"
            )

    def read_control_files(
        self, paths: list[tuple[Path, Path]], not_read: list[tuple[Path, Path, str]]
    ) -> list[FileOutcome | _Pending]:
        """Outcomes of the entries not read and of the publication-date control files (read into overrides)."""
        steps: list[FileOutcome | _Pending] = []
        for raw_dir, path, why in not_read:
            rel = _rel(path, raw_dir)
            if path.name == OVERRIDE_FILE:
                err = IngestError(why.replace("not followed", "a control file is not followed"), file=rel)
                steps.append(self.reject(None, rel, "read", err))
                self.held_back = self.held_back or err
            else:
                steps.append(FileOutcome(rel, "skipped", why))
        for raw_dir, path in paths:
            if path.name != OVERRIDE_FILE:
                continue
            rel = _rel(path, raw_dir)
            try:
                read_overrides(path, rel, self.overrides)
                steps.append(FileOutcome(rel, "skipped", "publication date overrides (control file)"))
            except IngestError as exc:
                steps.append(self.reject(_file_info(path, raw_dir), rel, "read", exc))
                self.held_back = self.held_back or exc
        return steps

    def reject(
        self,
        file: FileInfo | None,
        rel: str,
        stage: Stage,
        exc: IngestError,
        checks: list[CheckResult] | None = None,
    ) -> FileOutcome:
        """Quarantine a file: log the rejection (and its validation results), write its report."""
        if checks and file is not None:
            landing.record_validation(self.con, file, checks)
        landing.record_rejection(self.con, file, rel, stage, exc)
        if file is not None:
            _write_quarantine_report(self.quarantine_dir, file, stage, exc)
        return FileOutcome(rel, "rejected", exc.describe(), stage=stage, checks=checks or [], examples=exc.examples)

    def read_all(self, paths: list[tuple[Path, Path]]) -> list[FileOutcome | _Pending]:
        """Pass 1 over the data files in path order: hash and de-duplicate each, then detect and parse
        the first file of each new content (workbooks in the read pool's workers when there is one, each
        submitted as soon as it is hashed, so the workers read while the rest are hashed).

        The result is the one a file-by-file pass gives: a later copy of bytes parsed earlier in the
        run follows that original; a copy of bytes that did not parse is read under its own name.
        """
        identified: list[FileOutcome | _Pending] = []
        firsts: set[str] = set()  # sha256 of every new content met so far
        pooled: dict[int, tuple[ReadTask, Future[Examined]]] = {}  # index -> its task in a worker
        for raw_dir, path in paths:
            step = self.identify(path, raw_dir)
            if isinstance(step, _Pending) and step.file.sha256 not in firsts:
                firsts.add(step.file.sha256)
                if self.pool is not None and self._poolable(step):  # a worker starts on it while we hash on
                    task = self.task(step, self.sources[:1])
                    pooled[len(identified)] = (task, self.pool.submit(task))
            identified.append(step)
        steps: list[FileOutcome | _Pending] = []
        for k, step in enumerate(identified):
            if isinstance(step, _Pending):
                if step.file.sha256 in self.pending_by_sha:
                    step = _Pending(step.rel, step.file, duplicate_of=self.pending_by_sha[step.file.sha256])
                else:
                    examined = ReadPool.result(*pooled[k]) if k in pooled else None
                    step = self.record(step, examined)
                    if isinstance(step, _Pending):
                        self.pending_by_sha[step.file.sha256] = step
            steps.append(step)
        return steps

    def _poolable(self, step: _Pending) -> bool:
        return step.file.is_excel and bool(self.sources) and self.sources[0].name in POOL_SOURCES

    def task(self, step: _Pending, sources: list[Source]) -> ReadTask:
        """The read step of one file, for ``examine`` (here or in a worker)."""
        return ReadTask(step.file, step.rel, sources, self.context, self.held_back)

    def identify(self, path: Path, raw_dir: Path) -> FileOutcome | _Pending:
        """Hash one file; an outcome when it cannot be read or its bytes landed before, else a new file
        to read (a ``_Pending`` without rows yet)."""
        rel = _rel(path, raw_dir)
        try:
            file = FileInfo.from_path(path, raw_dir)
        except OSError as exc:
            err = IngestError(f"cannot read file: {exc.strerror or exc}", file=rel)
            return self.reject(None, rel, "read", err)
        if file.sha256 in self.seen:
            self.known_names.append(file)  # recorded after this pass, in one statement
            same = self.seen[file.sha256]
            detail = "already loaded" if same == rel else f"already loaded (same bytes as {same})"
            return FileOutcome(rel, "already_loaded", detail)
        return _Pending(rel, file)

    def record(self, step: _Pending, examined: Examined | None = None) -> FileOutcome | _Pending:
        """The outcome of a new file's read step (run here unless a worker ran it: ``examined``)."""
        if examined is None or examined.status == "unclaimed":  # not the first source's: every source
            examined = examine(self.task(step, self.sources))
        if examined.status == "parsed":
            source = next(s for s in self.sources if s.name == examined.source)
            return _Pending(step.rel, step.file, source, examined.parsed)
        if examined.status == "rejected":
            return self.reject(step.file, step.rel, examined.stage or "read", examined.error)
        return FileOutcome(step.rel, "skipped", examined.detail)

    def finish(self, step: _Pending) -> FileOutcome:
        """Land a validated file (or quarantine it); a same-bytes copy follows its original."""
        rel, file = step.rel, step.file
        if step.duplicate_of is not None:
            original = step.duplicate_of.outcome
            if original is not None and original.status == "loaded":
                landing.record_name(self.con, file)
                detail = f"already loaded (same bytes as {step.duplicate_of.rel})"
                return FileOutcome(rel, "already_loaded", detail)
            err = IngestError(f"same bytes as quarantined file {step.duplicate_of.rel}", file=rel)
            step.outcome = self.reject(file, rel, "detect", err)
            return step.outcome
        parsed = step.parsed
        failure = failure_of(file, step.results)
        if failure is not None:
            step.outcome = self.reject(file, rel, "validate", failure, step.results)
            return step.outcome
        try:
            n_rows = landing.land(self.con, file, parsed, step.results)
        except (duckdb.Error, OSError) as exc:
            if landing.is_storage_failure(exc):
                raise  # the warehouse, not this file: ingest_dir stops the run with WarehouseWriteError
            err = IngestError(f"unexpected {type(exc).__name__} while landing: {exc}", file=rel)
            step.outcome = self.reject(file, rel, "land", err, step.results)
            return step.outcome
        except IngestError as exc:
            step.outcome = self.reject(file, rel, "land", exc, step.results)
            return step.outcome
        except Exception as exc:  # e.g. a value that does not fit its raw column type
            err = IngestError(f"unexpected {type(exc).__name__} while landing: {exc}", file=rel)
            step.outcome = self.reject(file, rel, "land", err, step.results)
            return step.outcome
        step.outcome = self._loaded(step, n_rows)
        return step.outcome

    def _loaded(self, step: _Pending, n_rows: int) -> FileOutcome:
        """The outcome of a file that landed (and remember its bytes as landed)."""
        parsed = step.parsed
        self.seen[step.file.sha256] = step.rel
        return FileOutcome(
            step.rel,
            "loaded",
            f"{parsed.layout}, {n_rows} rows",
            parsed.source,
            parsed.kind,
            parsed.layout,
            n_rows,
            parsed.meta.get("published_date"),
            checks=step.results,
        )


def reading_error(exc: Exception, rel: str) -> IngestError:
    """A reader's own exception as a message naming the file (and the line DuckDB names)."""
    first = first_line(exc)
    if isinstance(exc, duckdb.Error):
        line = re.search(r"(?i)\bline:?\s*(\d+)", str(exc))
        return IngestError(
            f"the file's content cannot be read: {first}", file=rel, row=int(line.group(1)) if line else None
        )
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return IngestError(f"corrupt or truncated compressed data: {first}", file=rel)
    if isinstance(exc, UnicodeError):
        return IngestError(f"text in an unexpected encoding: {first}", file=rel)
    if isinstance(exc, MemoryError | RecursionError):
        return IngestError("too large or too deeply nested to read", file=rel)
    return IngestError(f"unexpected {type(exc).__name__} while reading (a bug; please report it): {first}", file=rel)


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
