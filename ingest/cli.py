"""``ice287g``: build, ingest, publish, sample, fetch.

Exit codes (scripts can trust them; every failure ends in one message, never a traceback —
``--debug`` or ICE287G_DEBUG=1 adds it):
  0  everything passed
  1  the build failed (dbt error or failed test, publish failed, --strict with a quarantined file,
     or an unexpected error); the previous publication is left in place
  2  bad invocation or unusable raw directory (missing, empty)
  3  built and published (or ingested), but some files were quarantined (see the summary)
  4  another build holds this warehouse (its work file is locked); nothing was changed
  5  the warehouse cannot be written (disk full, file too large, read-only, not a DuckDB file);
     what was landed before stays, the previous publication is left in place
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from rich.table import Table
from rich.text import Text

from ingest import __version__
from ingest.safe_text import printable
from ingest.summary import build_progress, make_console, print_summary, stage

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_QUARANTINED, EXIT_BUSY, EXIT_WAREHOUSE = 0, 1, 2, 3, 4, 5

# Markup and emoji codes are written by this module only: outside text (paths, messages, values) is
# never parsed as markup — it is added as plain rich Text (_t, _rich), with control characters and
# undecodable bytes shown as visible escapes.
console = make_console()
err_console = make_console(stderr=True)


def _t(value: object, style: str = "") -> Text:
    """Outside text as a plain rich Text: never read as markup, control characters as escapes."""
    return Text(printable(value), style=style)


def _rich(template: str, *values: object) -> Text:
    """``template`` (our markup, ``{}`` for each value) with the values added as plain text.

    A value may be ``(text, style)``. Markup tags must open and close within one piece of template.
    """
    pieces = template.split("{}")
    if len(pieces) != len(values) + 1:
        raise ValueError(f"template needs {len(pieces) - 1} values: {template!r}")
    out = Text.from_markup(pieces[0])
    for value, piece in zip(values, pieces[1:], strict=True):
        out.append_text(_t(*value) if isinstance(value, tuple) else _t(value))
        out.append_text(Text.from_markup(piece))
    return out


def _add_dirs(p: argparse.ArgumentParser, raw: bool = True) -> None:
    if raw:
        p.add_argument(
            "--raw-dir",
            type=Path,
            action="append",
            help="raw files (recursive); give it more than once to build several archives together "
            "(default: data/sample)",
        )
    p.add_argument("--warehouse-dir", type=Path, default=Path("warehouse"), help="build output folder")


def _add_postgres(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("ICE287G_POSTGRES_URL"),
        help=f"{what}: a libpq URL, e.g. postgresql://user@host/db (default $ICE287G_POSTGRES_URL)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show the Python traceback of a failure"
    )
    parser = argparse.ArgumentParser(prog="ice287g", description="The 287(g) warehouse.", parents=[common])
    parser.add_argument("--version", action="version", version=f"ice287g {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", parents=[common], help="ingest, dbt build, publish")
    _add_dirs(p)
    p.add_argument("--strict", action="store_true", help="fail the build when any file is quarantined")
    p.add_argument("--no-publish", action="store_true", help="stop after dbt build")
    p.add_argument(
        "--full",
        action="store_true",
        help="rebuild every model from scratch and run every test (by default a build runs only the models "
        "and tests downstream of the raw data that changed since the last successful build)",
    )
    p.add_argument(
        "--unit-tests",
        action="store_true",
        help="also run the dbt unit tests (they test the project's SQL, not the data; make test and CI run them)",
    )
    p.add_argument(
        "--target",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="where dbt builds: the local work file (default, then publish) or PostgreSQL (--postgres URL; "
        "the raw tables are landed there without personal arrest fields, nothing is published)",
    )
    _add_postgres(p, "the PostgreSQL database of --target postgres")
    p = sub.add_parser("ingest", parents=[common], help="land new raw files in warehouse/work.duckdb")
    _add_dirs(p)
    p.add_argument("--strict", action="store_true", help="exit 1 when any file is quarantined")
    p = sub.add_parser("publish", parents=[common], help="publish marts.duckdb and exports from the work file")
    _add_dirs(p, raw=False)
    _add_postgres(p, "also copy the publication into this PostgreSQL database")
    p.add_argument("--postgres-schema", default="marts", help="schema of the marts in PostgreSQL")
    p.add_argument("--postgres-reference-schema", default="reference", help="schema of the reference tables")
    p.add_argument("--postgres-reader-role", default="ice287g_reader", help="read-only role granted SELECT")
    p = sub.add_parser("sample", parents=[common], help="regenerate the synthetic sample raw files")
    p.add_argument("--dest", type=Path, default=Path("data/sample"))
    p = sub.add_parser("fetch", parents=[common], help="download the official source files (needs the internet)")
    p.add_argument("--dest", type=Path, required=True)
    return parser


def _ingest(raw_dir: list[Path] | Path | None, warehouse_dir: Path):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.pipeline import ingest_dir, scan

    raw_dirs = [raw_dir] if isinstance(raw_dir, Path) else list(raw_dir or [Path("data/sample")])
    total = sum(len(scan(d)) for d in raw_dirs if d.is_dir())
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def on_file(outcome):
            progress.update(task, advance=1, description=printable(outcome.path[-60:], keep_newlines=False))
            if outcome.status == "rejected":
                progress.console.print(_rich("[red]quarantined[/] {}", outcome.detail))

        return ingest_dir(
            raw_dirs, warehouse_dir / "work.duckdb", on_file=on_file, quarantine_dir=warehouse_dir / "quarantine"
        )


def _print_ingest_summary(summary) -> None:
    table = Table(title="Files", show_header=True)
    table.add_column("status")
    table.add_column("n", justify="right")
    found = len(summary.outcomes)
    table.add_row("found", str(found))
    for status in ("loaded", "already_loaded", "skipped", "rejected"):
        table.add_row(status.replace("_", " "), str(len(summary.by_status(status))))
    console.print(table)
    for o in summary.by_status("skipped"):
        console.print(_rich("  skipped  {}: {}", o.path, o.detail))
    for o in summary.rejected:
        console.print(_rich("  [red]quarantined[/] {}", o.detail))
    rows = Table(title="Rows per raw table", show_header=True)
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for name, n in sorted(summary.table_rows.items()):
        rows.add_row(_t(name), f"{n:,}")
    console.print(rows)


def _print_validation_summary(summary) -> None:
    """Files validated, expectations passed/failed per suite, counted warnings, quarantined files and why."""
    validated = [o for o in summary.outcomes if o.checks]
    if validated:
        table = Table(title="Validation (Great Expectations, before landing)", show_header=True)
        for col, justify in (
            ("suite", "left"),
            ("files", "right"),
            ("passed", "right"),
            ("failed", "right"),
            ("warnings", "right"),
        ):
            table.add_column(col, justify=justify)
        per_suite: dict[str, list] = {}
        for o in validated:
            for suite in sorted({c.suite for c in o.checks}):
                per_suite.setdefault(suite, [0, 0, 0, 0])[0] += 1
            for c in o.checks:
                per_suite[c.suite][("passed", "failed", "warned").index(c.status) + 1] += 1
        totals = [0, 0, 0]
        for suite, (files, passed, failed, warned) in sorted(per_suite.items()):
            table.add_row(_t(suite), str(files), str(passed), str(failed), str(warned))
            totals = [totals[0] + passed, totals[1] + failed, totals[2] + warned]
        table.add_row("[bold]total[/]", str(len(validated)), *(str(n) for n in totals))
        console.print(table)
        warned: dict[str, list[str]] = {}
        for o in validated:
            for c in o.checks:
                if c.status == "warned":
                    warned.setdefault(c.expectation, []).append(f"{o.path}: {c.observed}")
        for name, items in sorted(warned.items()):
            console.print(_rich("  counted {} in {} file(s), e.g. {}", (name, "yellow"), len(items), items[0]))
    if summary.rejected:
        q = Table(title="Quarantined files (nothing from them landed)", show_header=True)
        q.add_column("file")
        q.add_column("stage")
        q.add_column("why")
        q.add_column("example rows")
        for o in summary.rejected:
            failed = [c for c in o.checks if c.status == "failed"]
            why = "; ".join(f"{c.suite}:{c.expectation} ({c.observed})" for c in failed) or o.detail
            q.add_row(_t(o.path), o.stage or "", _t(why), _t("\n".join(o.examples[:5])))
        console.print(q)


def _qa_failures(warehouse_dir: Path) -> list[str]:
    """The failing invariants of marts.rpt_qa_summary in the work file (when it was built)."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse_dir / "work.duckdb"), read_only=True)
        try:
            rows = con.execute(
                "select check_name, scope, observed, expected from marts.rpt_qa_summary where status = 'fail' "
                "order by check_name, scope"
            ).fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return []
    return [f"{name} [{scope}]: observed {observed}, expected {expected}" for name, scope, observed, expected in rows]


def _untouched(warehouse_dir: Path) -> str:
    from ingest.publish import describe_current

    return f"the previous publication is untouched ({describe_current(warehouse_dir)})"


def _ingest_and_report(args, *, building: bool = False):
    """Ingest ``args.raw_dir`` into ``args.warehouse_dir`` and print the file and validation summaries.

    Returns the IngestSummary, or None when the raw directory is unusable (the error is printed; a
    build adds that the publication is untouched). ``cmd_ingest`` and ``cmd_build`` share it.
    """
    from ingest.pipeline import RawDirError

    try:
        summary = _ingest(args.raw_dir, args.warehouse_dir)
    except RawDirError as exc:
        if building:
            err_console.print(_rich("[red]error:[/] {}; {}", exc.describe(), _untouched(args.warehouse_dir)))
        else:
            err_console.print(_rich("[red]error:[/] {}", exc.describe()))
        return None
    _print_ingest_summary(summary)
    _print_validation_summary(summary)
    return summary


def cmd_ingest(args) -> int:
    start = time.perf_counter()
    summary = _ingest_and_report(args)
    if summary is None:
        return EXIT_USAGE
    console.print(f"ingest finished in {time.perf_counter() - start:.1f}s")
    if summary.rejected:
        return EXIT_FAILED if args.strict else EXIT_QUARANTINED
    return EXIT_OK


def _dbt_build(warehouse_dir: Path, *, unit_tests: bool = False, full: bool = False, started=None):
    from ingest.faults import pause_point
    from ingest.project import dbt_build

    with console.status("dbt build") as status:

        def on_line(line: str) -> None:
            if " OK created" in line:
                pause_point("dbt")  # crash tests kill the build here, while dbt is writing
            if (
                " OK " in line
                or "ERROR" in line
                or "FAIL" in line
                or "WARN" in line
                or "Completed" in line
                or line.startswith("Done.")
                or "Error" in line
            ):
                console.print(line, markup=False)
            status.update(_rich("dbt build: {}", line[-80:]))

        args = [] if unit_tests else ["--exclude-resource-type", "unit_test"]
        return dbt_build(warehouse_dir, args, on_line=on_line, full=full, started=started)


@build_progress(console)
def cmd_build(args) -> int:
    """Ingest, dbt build, publish; publish only when everything before it passed.

    dbt is started first (ingest/dbt_main.py) and imports itself while the ingest runs; it is handed its
    arguments once the ingest has said what changed, and ends unused when the build stops before dbt."""
    from ingest.project import StartedDbt

    if getattr(args, "target", "duckdb") == "postgres":
        return _cmd_build(args, None)
    with StartedDbt(args.warehouse_dir) as started:
        return _cmd_build(args, started)


def _cmd_build(args, started) -> int:
    from ingest.project import column_check_failures, project_dir
    from ingest.publish import PublishError, publish

    start = time.perf_counter()
    summary = _ingest_and_report(args, building=True)
    if summary is None:
        return EXIT_USAGE
    t_ingest = time.perf_counter() - start
    if summary.rejected and args.strict:
        err_console.print(
            _rich(
                "[red]build failed:[/] {} file(s) quarantined and --strict is set; nothing was built or published; {}",
                len(summary.rejected),
                _untouched(args.warehouse_dir),
            )
        )
        return EXIT_FAILED
    if getattr(args, "target", "duckdb") == "postgres":
        return _build_postgres(args, start, t_ingest)
    stage("dbt build")
    t0 = time.perf_counter()
    result = _dbt_build(
        args.warehouse_dir,
        unit_tests=getattr(args, "unit_tests", False),
        full=getattr(args, "full", False),
        started=started,
    )
    t_dbt = time.perf_counter() - t0
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
    console.print(f"dbt build ({result.mode}): {counts or 'no results'} in {t_dbt:.1f}s")
    if not result.ok:
        for f in result.failures[:20]:
            err_console.print(_rich("  {}", (f, "red")))
        for line in column_check_failures(args.warehouse_dir / "work.duckdb", result):
            err_console.print(_rich("  [red]check fail[/] {}", line))
        for line in _qa_failures(args.warehouse_dir):
            err_console.print(_rich("  [red]qa fail[/] {}", line))
        err_console.print(_rich("[red]build failed:[/] dbt build did not pass; {}", _untouched(args.warehouse_dir)))
        return EXIT_FAILED
    t_pub = 0.0
    if not args.no_publish:
        stage("publish: marts, exports, site, docs")
        t0 = time.perf_counter()
        try:
            published = publish(args.warehouse_dir, project_dir())
        except PublishError as exc:
            err_console.print(_rich("[red]publish failed:[/] {}; {}", exc, _untouched(args.warehouse_dir)))
            return EXIT_FAILED
        t_pub = time.perf_counter() - t0
        console.print(
            _rich(
                "published {} tables to {} and exports to {}",
                len(published),
                args.warehouse_dir / "marts.duckdb",
                args.warehouse_dir / "exports",
            )
        )
    print_summary(console, args.warehouse_dir, summary, published=not args.no_publish)
    total = time.perf_counter() - start
    console.print(f"elapsed {total:.1f}s (ingest {t_ingest:.1f}s, dbt {t_dbt:.1f}s, publish {t_pub:.1f}s)")
    if summary.rejected:
        names = ", ".join(o.path for o in summary.rejected)
        console.print(
            _rich(
                "[yellow]warning:[/] {} file(s) quarantined: {} (exit {})",
                len(summary.rejected),
                names,
                EXIT_QUARANTINED,
            )
        )
        return EXIT_QUARANTINED
    return EXIT_OK


def _build_postgres(args, start: float, t_ingest: float) -> int:
    """dbt build on the ``postgres`` target: land the raw tables there, build every model and test."""
    from ingest.postgres_raw import dbt_env, land_raw
    from ingest.project import run_dbt

    if not args.postgres:
        err_console.print("[red]error:[/] --target postgres needs --postgres URL (or $ICE287G_POSTGRES_URL)")
        return EXIT_USAGE
    t0 = time.perf_counter()
    try:
        landed = land_raw(args.warehouse_dir / "work.duckdb", args.postgres)
    except Exception as exc:
        err_console.print(
            _rich("[red]build failed:[/] landing the raw tables in PostgreSQL: {}: {}", type(exc).__name__, exc)
        )
        return EXIT_FAILED
    t_land = time.perf_counter() - t0
    console.print(f"landed {len(landed)} raw tables ({sum(landed.values()):,} rows) in PostgreSQL in {t_land:.1f}s")
    t0 = time.perf_counter()
    with console.status("dbt build (postgres)"):
        result = run_dbt(
            ["build", "--target", "postgres", "--full-refresh"],  # every raw table was just landed anew
            args.warehouse_dir,
            on_line=lambda line: console.print(line, markup=False) if "ERROR" in line or "FAIL" in line else None,
            extra_env=dbt_env(args.postgres),
            target_dir="dbt_target_postgres",
        )
    t_dbt = time.perf_counter() - t0
    counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
    console.print(f"dbt build (postgres): {counts or 'no results'} in {t_dbt:.1f}s")
    if not result.ok:
        for f in result.failures[:20]:
            err_console.print(_rich("  {}", (f, "red")))
        err_console.print("[red]build failed:[/] dbt build on the postgres target did not pass")
        return EXIT_FAILED
    total = time.perf_counter() - start
    console.print(f"elapsed {total:.1f}s (ingest {t_ingest:.1f}s, land {t_land:.1f}s, dbt {t_dbt:.1f}s)")
    return EXIT_OK


def cmd_publish(args) -> int:
    from ingest.project import project_dir
    from ingest.publish import PublishError, publish

    try:
        published = publish(args.warehouse_dir, project_dir())
    except PublishError as exc:
        err_console.print(_rich("[red]publish failed:[/] {}; {}", exc, _untouched(args.warehouse_dir)))
        return EXIT_FAILED
    console.print(_rich("published {} tables to {}", len(published), args.warehouse_dir / "marts.duckdb"))
    if args.postgres:
        from ingest.postgres_publish import PostgresPublishError, publish_postgres

        try:
            result = publish_postgres(
                args.warehouse_dir,
                args.postgres,
                schema=args.postgres_schema,
                reference_schema=args.postgres_reference_schema,
                reader_role=args.postgres_reader_role,
            )
        except PostgresPublishError as exc:
            err_console.print(_rich("[red]PostgreSQL publish failed:[/] {}; what PostgreSQL serves is unchanged", exc))
            return EXIT_FAILED
        console.print(
            f"published {len(result.counts)} tables ({sum(result.counts.values()):,} rows) to PostgreSQL schemas "
            f"{args.postgres_schema} and {args.postgres_reference_schema} in {result.seconds:.1f}s "
            f"(read-only role {args.postgres_reader_role})"
        )
        if result.left_old_schemas:
            console.print(f"  still in use by a reader, dropped next time: {', '.join(result.left_old_schemas)}")
    return EXIT_OK


def _sample_generator():
    """``generate`` of the sample generator in ``tools/sample/`` of the checkout (not part of the
    installed package); None when there is no checkout beside the package or in the current folder."""
    import importlib
    import importlib.util

    from ingest.project import project_dir

    try:
        root = project_dir()
    except FileNotFoundError:
        return None
    if not (root / "tools" / "sample" / "__init__.py").is_file():
        return None
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    if importlib.util.find_spec("tools.sample") is None:
        return None
    return importlib.import_module("tools.sample").generate


def cmd_sample(args) -> int:
    generate = _sample_generator()
    if generate is None:
        err_console.print(
            "[red]error:[/] the sample generator (tools/sample/) is not here: it lives in the repository, not in "
            "the installed package; run `ice287g sample` from a checkout (git clone, then make sample)"
        )
        return EXIT_USAGE
    written = generate(args.dest)
    console.print(_rich("wrote {} synthetic sample files under {}", len(written), args.dest))
    return EXIT_OK


def cmd_fetch(args) -> int:
    from ingest.fetch import fetch

    return fetch(args.dest, console=console, err_console=err_console)


def _failure(exc: BaseException) -> tuple[str, int]:
    """What went wrong, in one line, and the exit code: the warehouse (busy, unwritable) or a bug."""
    import duckdb

    from ingest.errors import IngestError, WarehouseBusyError, WarehouseWriteError, first_line
    from ingest.landing import is_storage_failure

    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_FAILED
    if isinstance(exc, WarehouseBusyError):
        return str(exc), EXIT_BUSY
    if isinstance(exc, WarehouseWriteError):
        return str(exc), EXIT_WAREHOUSE
    if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
        return f"another build holds this warehouse: {first_line(exc)}", EXIT_BUSY
    if is_storage_failure(exc):
        return f"cannot write the warehouse: {first_line(exc)}", EXIT_WAREHOUSE
    if isinstance(exc, IngestError):
        return exc.describe(), EXIT_FAILED
    return f"unexpected {type(exc).__name__}: {first_line(exc)} (a bug; rerun with --debug and report it)", EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {
        "build": cmd_build,
        "ingest": cmd_ingest,
        "publish": cmd_publish,
        "sample": cmd_sample,
        "fetch": cmd_fetch,
    }[args.command]
    try:
        return handler(args)
    except (Exception, KeyboardInterrupt) as exc:  # every failure path ends in one clear message
        if getattr(args, "debug", False) or os.environ.get("ICE287G_DEBUG") == "1":
            traceback.print_exc()
        message, code = _failure(exc)
        where = ""
        if getattr(args, "warehouse_dir", None) is not None:
            try:
                where = f"; {_untouched(args.warehouse_dir)}"
            except Exception:  # describing the publication must not hide the failure
                where = "; the previous publication was not replaced"
        err_console.print(_rich(f"[red]{args.command} failed:[/] {{}}{{}} (exit {code})", message, where))
        return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
