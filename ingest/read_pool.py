"""Detect and parse raw files, on every core when there are many ICE workbooks.

``examine`` is the read step of one file (detection by each source, then the claiming source's
parse) as a value: parsed, skipped, rejected or claimed by no source. It writes nothing, so it can
run in a worker process. ``ReadPool`` runs it for the xlsx files of a large ingest in worker
processes (forked before the work file is opened, so no DuckDB state is copied), one task per file,
results taken in path order. Only the first source in detection order (ICE's sheets: calamine,
zipfile and pandas, no DuckDB and no key files) runs there; its claim or refusal is final ("first
wins"), and a workbook it does not claim is examined again by the main process with every source.

A worker that dies (a crash in a reader's native code, the OOM killer) breaks the pool: each file
whose result was lost is then read again alone in a fresh single-use worker, and a file whose reader
kills that one too is rejected with that reason. The run never hangs on a dead worker and never
loses the other files.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from ingest.errors import IngestError, NotThisSource
from ingest.sources.base import FileInfo, LoadContext, Parsed, Source

# Below this many bytes of candidate workbooks the workers do not pay: starting and stopping them costs
# ~0.02-0.03 s, and what they save grows with the bytes read. Measured on 2 cores, the first N realdata
# sheets, in one process / pooled (medians of 8 alternating runs): 16 sheets (0.83 MB) 0.192 / 0.217 s,
# 20 (1.15 MB) 0.238 / 0.227 s, 28 (1.93 MB) 0.358 / 0.333 s, all 31 (2.16 MB) 0.400 / 0.360 s.
POOL_MIN_BYTES = 1 << 20
# Sources whose detection and parsing may run in a forked worker (no DuckDB, no files written).
POOL_SOURCES = ("ice",)
CRASHED = "the reader process ended unexpectedly (crashed) while reading this file"


@dataclass
class Examined:
    """The read step's result for one file (``status``), for the pipeline to record."""

    status: Literal["parsed", "skipped", "rejected", "unclaimed"]
    detail: str = ""
    stage: Literal["read", "detect", "parse"] | None = None
    error: IngestError | None = None
    source: str | None = None
    parsed: Parsed | None = None


@dataclass
class ReadTask:
    """What a worker needs to examine one file (picklable)."""

    file: FileInfo
    rel: str
    sources: list[Source]
    context: LoadContext | None
    held_back: IngestError | None = None


def examine(task: ReadTask) -> Examined:
    """Detect (first source that claims the file wins) and parse one file; never raises for a bad file."""
    from ingest.pipeline import reading_error  # the pipeline's message for a reader's own exception

    file, rel = task.file, task.rel
    stage: Literal["detect", "parse"] = "detect"
    try:
        detection = None
        for source in task.sources:
            try:
                detection = source.detect(file)
            except NotThisSource as exc:
                return Examined("skipped", f"not a {source.name} file: {exc.reason}")
            if detection:
                break
        if detection is None:
            return Examined("unclaimed", "not a recognised raw file")
        source = next(s for s in task.sources if s.name == detection.source)
        if task.held_back is not None and source.name == "ice":
            raise IngestError(
                f"not landed: its publication date may come from {task.held_back.file}, which is quarantined "
                f"({task.held_back.describe()}); fix that file and run again",
                file=rel,
            )
        stage = "parse"
        parsed = source.parse(file, detection, task.context)
    except IngestError as exc:
        return Examined("rejected", stage=stage, error=exc)
    except Exception as exc:  # any other reader failure is a rejection, not a crash
        return Examined("rejected", stage=stage, error=reading_error(exc, rel))
    return Examined("parsed", source=source.name, parsed=parsed)


def pool_workers() -> int:
    """Worker processes for reading (``ICE287G_INGEST_WORKERS``; default: the machine's cores, at most 4)."""
    configured = os.environ.get("ICE287G_INGEST_WORKERS")
    if configured is not None:
        return max(0, int(configured))
    return min(4, os.cpu_count() or 1)


def _fork_context() -> multiprocessing.context.BaseContext | None:
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: read in the main process
        return None


class ReadPool:
    """Worker processes examining files in parallel: ``submit`` a task as soon as its file is known,
    take its ``result`` (in path order) when it is needed."""

    def __init__(self, executor: ProcessPoolExecutor) -> None:
        self.executor = executor

    @classmethod
    def start(cls, candidate_bytes: int) -> ReadPool | None:
        """A pool when it pays (enough bytes of candidate workbooks, more than one core, fork available),
        else None.

        Call before the work file is opened: the workers are forked here, from a process that holds
        no DuckDB connection.
        """
        workers = pool_workers()
        context = _fork_context()
        if workers < 2 or candidate_bytes < POOL_MIN_BYTES or context is None:
            return None
        executor = ProcessPoolExecutor(workers, mp_context=context)
        # With fork, the first submit forks every worker before it returns (CPython's executor must fork
        # them before its manager thread starts), so they are forked here. Their start is not waited for
        # (~0.01 s): a pool that breaks at once costs each file a read alone (``result``), as a later break does.
        executor.submit(os.getpid)
        return cls(executor)

    def submit(self, task: ReadTask) -> Future[Examined]:
        """Start one task in a worker (workers take tasks in the order they are submitted)."""
        try:
            return self.executor.submit(examine, task)
        except BrokenProcessPool as exc:  # the pool broke before this task: ``result`` reads it alone
            broken: Future[Examined] = Future()
            broken.set_exception(exc)
            return broken

    @staticmethod
    def result(task: ReadTask, future: Future[Examined]) -> Examined:
        """A submitted task's result; when its worker died, the file read again alone (see the module doc)."""
        try:
            return future.result()
        except BrokenProcessPool:
            return _examine_alone(task)

    def close(self, *, wait: bool = True) -> None:
        """End the workers; ``wait=False`` asks them to exit and returns (a later ``close()`` joins them)."""
        self.executor.shutdown(wait=wait, cancel_futures=True)


def _examine_alone(task: ReadTask) -> Examined:
    """One file in a fresh single-use worker: its result, or a rejection when that worker dies too."""
    context = _fork_context()
    if context is None:  # pragma: no cover - a pool exists only where fork does
        return Examined("rejected", stage="read", error=IngestError(CRASHED, file=task.rel))
    with ProcessPoolExecutor(1, mp_context=context) as executor:
        try:
            return executor.submit(examine, task).result()
        except BrokenProcessPool:
            return Examined("rejected", stage="read", error=IngestError(CRASHED, file=task.rel))
