"""``python -m ingest.dbt_main``: dbt's command line, started before the build knows what it will ask of it.

Importing dbt takes seconds (its dataclass schemas are built at import time), while the arguments of a
build's ``dbt build`` depend on what the ingest changed (``ingest.project.plan_build``). So ``ice287g
build`` starts this process first: it imports dbt while the ingest runs in the parent, then reads one
line from stdin, a JSON object ``{"cwd": <folder to run in>, "args": [<dbt's arguments>]}``, and runs
dbt's own entry point with those arguments in that folder (the same
``dbt.cli.main:cli`` the ``dbt`` executable runs: same output, same exit codes). End of input without a
line (the build needed no dbt, or its parent died) ends it without running anything.

While it waits for its job it also imports what every build asks for only once it runs (DuckDB, the
adapter, the build task: ~0.15 s). When dbt has finished it runs the exit handlers (dbt-duckdb closes
its database in one: the last checkpoint) and ends with ``os._exit``, skipping the interpreter's
teardown: the garbage collector's last pass over dbt's parsed project took 0.7-0.9 s of every build
after dbt printed "Done" (py-spy: ``gc_collect_main``), time in which nothing is left to do.

For the same reason the collector's full passes are put off (``FULL_PASS_AFTER``). Each walks every
object of dbt's parsed project and holds the interpreter lock while it does, so every runner thread
waits: 9-10 of them took 1.4-1.7 CPU-s of a new-sheet build of the archive warehouse. The young
generations are collected as before, so short-lived cycles are still freed; what stays is garbage that
lived through two generations, ~100 MB more at the peak (480-630 MB -> 550-730 MB, ``ru_maxrss``).
Its threads also hand the interpreter lock on sooner (``SWITCH_INTERVAL``).

It also serves dbt's Jinja compiles from the checkout's compiled-template cache (``ingest.jinja_cache``:
1.4 s of every new-sheet build of the archive was dbt compiling the same templates again).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import sys

from ingest import jinja_cache

# Imported while the job is awaited: the modules a build imports once it starts (seen with sys.modules
# before and after a build), so the import is done before the job arrives instead of after.
PRELOAD = ("duckdb", "dbt.adapters.duckdb", "dbt.task.build")
# Collections of the middle generation before a full one (CPython's default: 10). At 1000 a build's
# ~155 middle collections never reach one; a longer-lived dbt would still get one now and then.
FULL_PASS_AFTER = 1000
# How long a thread holding the interpreter lock keeps it while another waits (CPython's default: 5 ms).
# dbt's runner threads spend most of a build in Python, holding the lock, and hand their SQL to DuckDB,
# which releases it: a thread whose statement has finished waits for the holder's interval to run out
# before it can go on, and a node runs ~15 statements, many taking a millisecond. 1 ms: a new-sheet build
# of the archive warehouse, dbt alone, 16 alternating pairs against 5 ms: median 0.58 s faster, 12 of 16
# faster; at 0.2 ms it was ~1 s slower (the switching itself).
SWITCH_INTERVAL = 0.001


def read_job(line: str) -> tuple[str, list[str]] | None:
    """The job of one stdin line: (folder, dbt's arguments); None for end of input (an empty line).
    ValueError, naming what came, for anything else."""
    if not line.strip():
        return None
    try:
        job = json.loads(line)
    except ValueError:
        job = None
    args = job.get("args") if isinstance(job, dict) else None
    cwd = job.get("cwd") if isinstance(job, dict) else None
    if not isinstance(cwd, str) or not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise ValueError(f"ingest.dbt_main: expected {{'cwd': str, 'args': [str]}} on stdin, got {line[:200]!r}")
    return cwd, args


def main() -> int:
    defer_full_collections()  # from the start: importing dbt ran two full passes too (~0.15 s)
    sys.setswitchinterval(SWITCH_INTERVAL)
    from dbt.cli.main import cli  # the import this process exists to do ahead of time

    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # an adapter that is not installed: dbt says so itself
            importlib.import_module(name)
    jinja_cache.install_from_env()  # read while the job is awaited; saved by the exit handlers
    try:
        job = read_job(sys.stdin.readline())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if job is None:
        return 0
    cwd, args = job
    os.chdir(cwd)
    try:
        cli.main(args=args, prog_name="dbt")  # as the dbt executable: exits with dbt's own code
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    exit_now(code)
    return 1  # not reached


def defer_full_collections() -> None:
    """Collect the young and middle generations as before, the whole heap only after FULL_PASS_AFTER
    middle collections (see the module doc)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)


def exit_now(code: object) -> None:
    """End the process with ``code`` (SystemExit's meaning: None is 0, an int itself, anything else 1)
    once the exit handlers have run and the output is flushed, without the interpreter's teardown."""
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)  # as the interpreter prints a non-integer exit code
    atexit._run_exitfuncs()  # dbt-duckdb closes its database here; logging flushes and closes its files
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    raise SystemExit(main())
