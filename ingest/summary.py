"""What ``ice287g build`` tells people: one progress display while it works, a plain summary at the end.

- :func:`make_console`: on a terminal, rich's usual console; in a log (no terminal) a console that never
  wraps a line (``soft_wrap``) and renders tables wide enough (``$COLUMNS`` or 200) that no cell folds
  a word or a path in the middle.
- :func:`build_progress` / :func:`stage`: one live display for the whole build (stage, elapsed time; the
  ingest bar and dbt's status show inside it while they run); in a log, one line per stage instead.
- :func:`print_summary`: the build in words, read from the publication it just made: the newest sheet
  and its date, active agreements by model, agencies and states, what changed on the newest sheet, QA
  status, files quarantined and values sent to review, and how to open the marts, the site and the
  exports — after the developer tables, which stay as they were. A synthetic-sample build says so first.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from ingest.safe_text import printable

LOG_WIDTH = 200
_display: dict = {}


def make_console(*, stderr: bool = False) -> Console:
    """The CLI's console: rich's defaults on a terminal; no wrapping (and wide tables) in a log."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False, emoji=False)
    try:
        width = max(int(os.environ.get("COLUMNS", "")), 80)
    except ValueError:
        width = LOG_WIDTH
    return Console(stderr=stderr, highlight=False, emoji=False, soft_wrap=True, width=width)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


class _BuildStatus:
    """The renderable of the one build display: a spinner, the stage and the elapsed time."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.stage = "ingest"
        self.done: list[tuple[str, float]] = []
        self.spinner = Spinner("dots")

    def __rich__(self):
        now = time.perf_counter()
        text = Text()
        for name, seconds in self.done:
            text.append(f"✓ {name} {seconds:.1f}s  ", style="green")
        text.append(f"{self.stage} … ", style="bold")
        text.append(f"(build {_clock(now - self.start)})", style="dim")
        self.spinner.text = text
        return self.spinner


def build_progress(console: Console) -> Callable:
    """Decorator of ``cmd_build``: one live display for the whole build on a terminal."""

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(*args, **kwargs):
            status = _BuildStatus()
            live = Live(status, console=console, transient=True, refresh_per_second=8)
            _display.update(console=console, status=status, stage_start=status.start)
            if console.is_terminal:
                live.start()
            else:
                console.print(f"[{_clock(0)}] ingest", markup=False)
            try:
                return func(*args, **kwargs)
            finally:
                if console.is_terminal:
                    live.stop()
                _display.clear()

        return run

    return wrap


def stage(name: str) -> None:
    """The build moved on to ``name`` (a no-op outside :func:`build_progress`)."""
    status = _display.get("status")
    if status is None:
        return
    now = time.perf_counter()
    status.done.append((status.stage, now - _display["stage_start"]))
    status.stage, _display["stage_start"] = name, now
    console = _display["console"]
    if not console.is_terminal:
        console.print(f"[{_clock(now - status.start)}] {name}", markup=False)


def _fetch(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def people_lines(warehouse_dir: Path) -> list[tuple[str, str]]:
    """(style, text) lines describing the current publication of ``warehouse_dir`` in words."""
    import duckdb

    marts = warehouse_dir / "marts.duckdb"
    con = duckdb.connect(str(marts), read_only=True)
    try:
        info = dict(_fetch(con, "select key, value from build_info"))
        newest = _fetch(
            con,
            "select publication_id, file_name, published_date from dim_publications "
            "where kind = 'participating' order by published_at desc limit 2",
        )
        by_type = _fetch(con, "select support_type, count(*) from fct_agreements where is_active group by 1 order by 1")
        n_agencies, n_states = _fetch(
            con, "select count(distinct agency_id), count(distinct state_code) from fct_agreements where is_active"
        )[0]
        changes = (
            _fetch(
                con,
                "select change_type, count(*) from rpt_publication_changes where publication_id = ? "
                "group by 1 order by 1",
                [newest[0][0]],
            )
            if newest
            else []
        )
        qa = dict(_fetch(con, "select status, count(*) from rpt_qa_summary group by 1"))
        n_review = _fetch(con, "select count(*) from rpt_values_for_review")[0][0]
    finally:
        con.close()
    lines: list[tuple[str, str]] = []
    if info.get("is_synthetic_sample") == "true":
        lines.append(
            (
                "bold yellow",
                f"SYNTHETIC SAMPLE: {info.get('n_synthetic_files', '?')} of the raw files are the fictional sample "
                "(data/sample); every number below is invented — do not cite it.",
            )
        )
    if newest:
        _, file_name, published = newest[0]
        lines.append(("", f"Newest ICE sheet: {printable(file_name)}, published {published}."))
    else:
        lines.append(("", "No participating sheet has been loaded."))
    total = sum(n for _, n in by_type)
    models = ", ".join(f"{t} {n:,}" for t, n in by_type) or "none"
    lines.append(("", f"Active agreements: {total:,} ({models})."))
    lines.append(("", f"Agencies with an active agreement: {n_agencies:,}, in {n_states:,} states."))
    if newest:
        against = f" against the sheet of {newest[1][2]}" if len(newest) > 1 else " (the first sheet)"
        from ingest.site import CHANGE_LABELS

        changed = ", ".join(f"{n:,} {CHANGE_LABELS.get(kind, kind)}" for kind, n in changes) or "nothing"
        lines.append(("", f"Changed on the newest sheet{against}: {changed}."))
    fails = qa.get("fail", 0)
    lines.append(
        (
            "red" if fails else "green",
            f"QA: {qa.get('pass', 0):,} invariants pass, {fails:,} fail, {qa.get('info', 0):,} informational.",
        )
    )
    lines.append(("", f"Values sent to review (marts.rpt_values_for_review): {n_review:,}."))
    return lines


def print_summary(console: Console, warehouse_dir: Path, ingest_summary, *, published: bool = True) -> None:
    """The build in words, after the developer tables."""
    from rich.rule import Rule

    console.print(Rule("Summary"))
    if not published or not (warehouse_dir / "marts.duckdb").exists():
        console.print("Not published (--no-publish): the marts are in the work file only.", markup=False)
        return
    for style, line in people_lines(warehouse_dir):
        console.print(Text(line, style=style))
    quarantined = list(ingest_summary.rejected) if ingest_summary is not None else []
    n_found = len(ingest_summary.outcomes) if ingest_summary is not None else 0
    line = f"Files: {n_found:,} found, {len(quarantined):,} quarantined"
    if quarantined:
        line += f" (reports in {printable(warehouse_dir / 'quarantine')})"
    console.print(Text(line + ".", style="yellow" if quarantined else ""))
    root = warehouse_dir.resolve()
    site = root / "site" / "index.html"
    console.print(Text("Open:", style="bold"))
    console.print(Text(f"  marts    {printable(root / 'marts.duckdb')}  (duckdb -readonly, or attach … (read_only))"))
    if site.exists():
        console.print(Text(f"  site     {printable(site.as_uri())}  (any browser, works offline)"))
    console.print(Text(f"  exports  {printable(root / 'exports')}/  (Parquet + CSV, dictionary.csv, README.md)"))
