"""``python -m ingest.dbt_main``: dbt's command line, started before the build knows what it will ask of it.

Importing dbt takes seconds (its dataclass schemas are built at import time), while the arguments of a
build's ``dbt build`` depend on what the ingest changed (``ingest.project.plan_build``). So ``ice287g
build`` starts this process first: it imports dbt while the ingest runs in the parent, then reads one
line from stdin, a JSON object ``{"cwd": <folder to run in>, "args": [<dbt's arguments>]}``, and runs
dbt's own entry point with those arguments in that folder (the same
``dbt.cli.main:cli`` the ``dbt`` executable runs: same output, same exit codes). End of input without a
line (the build needed no dbt, or its parent died) ends it without running anything.
"""

from __future__ import annotations

import json
import os
import sys


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
    from dbt.cli.main import cli  # the import this process exists to do ahead of time

    try:
        job = read_job(sys.stdin.readline())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if job is None:
        return 0
    cwd, args = job
    os.chdir(cwd)
    return cli.main(args=args, prog_name="dbt")  # as the dbt executable: exits with dbt's own code


if __name__ == "__main__":
    raise SystemExit(main())
