"""Where the dbt project lives and how to run dbt against a warehouse directory."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest import jinja_cache


def project_dir() -> Path:
    """The dbt project: the repository that holds this package (or the current directory)."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here, Path.cwd()):
        if (candidate / "dbt_project.yml").exists():
            return candidate
    raise FileNotFoundError("dbt_project.yml not found beside the ingest package or in the current directory")


@dataclass
class DbtResult:
    """Outcome of one dbt invocation: exit code and result counts by status."""

    returncode: int
    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    failed_sql: dict[str, str] = field(default_factory=dict)  # failing test's unique_id -> its compiled SQL
    mode: str = ""  # dbt_build: "incremental", or why it rebuilt in full

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def dbt_env(warehouse_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ICE287G_WAREHOUSE_DIR"] = str(warehouse_dir.resolve())
    # dbt runs in the warehouse directory and the profile names the work file relative to it, so the
    # connection info (part of dbt's partial-parse state check) is the same for every warehouse
    env.pop("ICE287G_DUCKDB_PATH", None)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dbt's log file (<warehouse>/dbt_logs/dbt.log) at info, not dbt's default debug: debug writes every
    # query dbt sends, which costs ~1 s of CPU per sample build; set DBT_LOG_LEVEL_FILE=debug to get it back
    env.setdefault("DBT_LOG_LEVEL_FILE", "info")
    # dbt's Jinja templates compiled once per checkout (ingest/jinja_cache.py, read by ingest.dbt_main)
    env.setdefault(jinja_cache.ENV_VAR, str(project_dir() / "target" / "jinja_cache" / "templates.pickle"))
    return env


PARSE_CACHE = "partial_parse.msgpack"


def parse_cache_dir() -> Path:
    """One dbt parse cache per project checkout, shared by every warehouse built from it."""
    return project_dir() / "target" / "parse_cache"


PARSE_ROOT = "partial_parse.root"


def _forget_foreign_parse(target_path: Path) -> None:
    """Drop a warehouse's parse made from another checkout (a warehouse copied or the checkout moved): dbt's
    partial parse checks the files' contents, not where they are, and would reuse that checkout's paths."""
    mine, root = target_path / PARSE_CACHE, target_path / PARSE_ROOT
    if mine.exists() and (not root.exists() or root.read_text(encoding="utf-8") != str(project_dir())):
        mine.unlink()


def _seed_parse_cache(target_path: Path, key: str) -> None:
    """Give a warehouse without a parse of its own the project's latest one (dbt checks it and re-parses
    only the files that changed, or everything when the project's state differs)."""
    cached = parse_cache_dir() / key / PARSE_CACHE
    mine = target_path / PARSE_CACHE
    if cached.exists() and (not mine.exists() or cached.stat().st_mtime > mine.stat().st_mtime):
        copy_atomic(cached, mine)


def _save_parse_cache(target_path: Path, key: str) -> None:
    """Publish this run's parse as the project's cache: written aside, then renamed (atomic), so two
    builds at once each read a complete file."""
    mine = target_path / PARSE_CACHE
    if not mine.exists():
        return
    cache_dir = parse_cache_dir() / key  # one per dbt target: a DuckDB parse is no PostgreSQL parse
    with contextlib.suppress(OSError):  # a read-only checkout: no shared cache, each warehouse keeps its own
        copy_atomic(mine, cache_dir / PARSE_CACHE)


def copy_atomic(src: Path, dest: Path) -> None:
    """Copy src to dest through a temporary name beside it and one rename: a reader (another build using
    the checkout's caches at the same time) sees the old file or the new one, never half of one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


class StartedDbt:
    """A dbt process started ahead of its arguments (``ingest/dbt_main.py``): it imports dbt while the
    caller does other work (a build's ingest), then ``run`` hands it the arguments.
    Use it as a context manager: leaving it unused ends the process without running dbt."""

    def __init__(
        self, warehouse_dir: Path, *, extra_env: dict[str, str] | None = None, target_dir: str = "dbt_target"
    ) -> None:
        self.warehouse_dir = warehouse_dir.resolve()  # may not exist yet: dbt moves there when handed its job
        self.target_dir = target_dir
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.dbt_main"],
            cwd=project_dir(),
            env={**dbt_env(warehouse_dir), **(extra_env or {})},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, args: list[str], *, on_line: Callable[[str], None] | None = None) -> DbtResult:
        """``run_dbt(args, warehouse_dir, on_line=on_line)`` in this process (once): it is handed the same
        command line and from there is dbt, streaming its output."""
        assert self.proc.stdin is not None and not self.proc.stdin.closed, "this dbt was already handed its arguments"
        dbt_args = _dbt_args(args, self.warehouse_dir, self.target_dir)
        self.proc.stdin.write(json.dumps({"cwd": str(self.warehouse_dir), "args": dbt_args}) + "\n")
        self.proc.stdin.close()
        return _dbt_result(self.proc, self.warehouse_dir, self.target_dir, on_line)

    def __enter__(self) -> StartedDbt:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            # never handed its job: it has run nothing (it may still be importing dbt), so it is stopped;
            # were this process killed instead, the end of its stdin would end it the same way
            self.proc.kill()
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        self.proc.wait()  # handed: run already waited for it
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _dbt_args(args: list[str], warehouse_dir: Path, target_dir: str) -> list[str]:
    """dbt's arguments for ``dbt <args>`` on warehouse_dir's work file, its target and log folders
    named; the parse cache prepared (this checkout's, seeded from the shared one)."""
    proj = project_dir()
    target_path = warehouse_dir.resolve() / target_dir
    _forget_foreign_parse(target_path)
    _seed_parse_cache(target_path, target_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    return [
        *args,
        "--no-use-colors",
        "--project-dir",
        str(proj),
        "--profiles-dir",
        str(proj / "profiles"),
        "--target-path",
        str(target_path),
        "--log-path",
        str(warehouse_dir.resolve() / target_dir.replace("target", "logs")),
    ]


def _dbt_result(
    proc: subprocess.Popen, warehouse_dir: Path, target_dir: str, on_line: Callable[[str], None] | None
) -> DbtResult:
    """Stream a running dbt's output lines to on_line, then its result (run_results.json) and parse cache."""
    target_path = warehouse_dir.resolve() / target_dir
    assert proc.stdout is not None
    for line in proc.stdout:
        if on_line:
            on_line(line.rstrip("\n"))
    returncode = proc.wait()
    if (target_path / PARSE_CACHE).exists():
        (target_path / PARSE_ROOT).write_text(str(project_dir()), encoding="utf-8")  # whose parse this is
    _save_parse_cache(target_path, target_dir)
    result = DbtResult(returncode)
    run_results = target_path / "run_results.json"
    if run_results.exists():
        data = json.loads(run_results.read_text())
        for r in data.get("results", []):
            kind = r.get("unique_id", "").split(".")[0]
            result.counts[f"{kind}:{r.get('status')}"] += 1
            if r.get("status") in ("error", "fail"):
                result.failures.append(f"{r.get('unique_id')}: {(r.get('message') or '').strip()[:300]}")
                if r.get("status") == "fail" and r.get("compiled_code"):
                    result.failed_sql[r["unique_id"]] = r["compiled_code"]
    return result


def run_dbt(
    args: list[str],
    warehouse_dir: Path,
    *,
    on_line: Callable[[str], None] | None = None,
    extra_env: dict[str, str] | None = None,
    target_dir: str = "dbt_target",
) -> DbtResult:
    """Run ``dbt <args>`` on the work file in warehouse_dir, streaming its output lines.

    extra_env adds variables (the PostgreSQL target's connection); target_dir names dbt's target folder
    in warehouse_dir (the DuckDB build's manifest in ``dbt_target`` is the data dictionary's source).
    It runs as a dbt started ahead does (``StartedDbt``, ingest/dbt_main.py: dbt's own command line, its
    collector's full passes put off and its teardown skipped), handed its job at once.
    """
    with StartedDbt(warehouse_dir, extra_env=extra_env, target_dir=target_dir) as started:
        return started.run(args, on_line=on_line)


def column_check_failures(work_file: Path, result: DbtResult) -> list[str]:
    """What each failing ``column_checks`` test found (macros/tests/column_checks.sql), one line per broken
    check: ``<model>.<column(s)>: <check> fails on <n> row(s) (e.g. <value>)`` — a column check, a
    ``unique_combination`` (``<model>.(a, b)``, the rows sharing a duplicated key) or a
    ``relationships(<parent>.<field>)``. dbt itself reports only that the test returned rows; this
    reruns the test's compiled SQL on the DuckDB work file to name them."""
    import duckdb

    tests = {uid: sql for uid, sql in result.failed_sql.items() if uid.split(".")[2].startswith(COLUMN_CHECKS)}
    if not tests:
        return []
    lines = []
    try:
        con = duckdb.connect(str(work_file), read_only=True)
    except duckdb.Error:
        return []
    try:
        for uid, sql in sorted(tests.items()):
            try:
                rows = con.execute(sql).fetchall()
            except duckdb.Error as exc:
                lines.append(f"{uid.split('.')[2]}: could not rerun {uid} ({first_error_line(exc)})")
                continue
            for tested, column, check, n_rows, example in rows:
                shown = "null" if example is None else repr(example)
                lines.append(f"{tested}.{column}: {check} fails on {n_rows} row(s) (e.g. {shown})")
    finally:
        con.close()
    return lines


# dbt names the test column_checks_<model>_... (a source table's: source_column_checks_<source>_<table>_...;
# with arguments, maybe a hash): each row of the test names its model (source.table)
COLUMN_CHECKS = ("column_checks_", "source_column_checks_")


def first_error_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


# What the rows of an incremental model depend on besides the raw data: the project's models, macros,
# seeds and settings. A build whose project differs from the last successful build's rebuilds in full.
PROJECT_STATE = "project_state.json"
PROJECT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds")


def project_fingerprint() -> str:
    """sha256 over every file the models are built from (path and bytes) and the dbt and DuckDB versions."""
    from importlib.metadata import version

    proj = project_dir()
    digest = hashlib.sha256()
    for name in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{name}=={version(name)}\n".encode())
    for top in PROJECT_INPUTS:
        root = proj / top
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(proj).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildPlan:
    """What a DuckDB build runs: dbt arguments, why (printed as the build's mode), and the raw sources'
    checksums it was planned against."""

    args: list[str]
    mode: str
    skip: bool = False  # nothing to build: no raw source changed since the last successful build
    # an incremental plan's source tables and their checksums: the baseline the build then records (dbt
    # reads the raw tables and never writes them, so after the build they are what they were here)
    relations: dict[str, list[str]] | None = None
    sources: dict | None = None


def _read_state(warehouse_dir: Path, target_dir: str) -> dict:
    try:
        stored = json.loads((warehouse_dir / target_dir / PROJECT_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def source_relations(warehouse_dir: Path, target_dir: str = "dbt_target") -> dict[str, list[str]] | None:
    """Every dbt source's table in the work file, by source name (``ice.ice_participating_rows`` ->
    ``[schema, table]``), from the warehouse's last dbt manifest; None when there is none to read."""
    try:
        manifest = json.loads((warehouse_dir / target_dir / "manifest.json").read_text(encoding="utf-8"))
        nodes = manifest["sources"].values()
        return {f"{n['source_name']}.{n['name']}": [n["schema"], n["identifier"]] for n in nodes}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def source_checksums(
    warehouse_dir: Path, target_dir: str = "dbt_target", sources: dict[str, list[str]] | None = None
) -> dict[str, str] | None:
    """Row count and an order-independent content hash of every dbt source's table in the work file, by
    source name; the sources are ``sources`` or those of the warehouse's last dbt manifest (None when there
    is no manifest to read them from). A table that does not exist is ``absent``."""
    import duckdb

    from ingest.sql import quote_ident

    sources = sources if sources is not None else source_relations(warehouse_dir, target_dir)
    if sources is None:
        return None
    out: dict[str, str] = {}
    con = duckdb.connect(str(warehouse_dir / "work.duckdb"), read_only=True)
    try:
        for name, (schema, table) in sorted(sources.items()):
            relation = f"{quote_ident(schema)}.{quote_ident(table)}"
            try:
                n, digest = con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {relation} as t").fetchone()
            except duckdb.CatalogException:
                out[name] = "absent"
                continue
            out[name] = f"{n}:{digest}"
    finally:
        con.close()
    return out


def plan_build(warehouse_dir: Path, *, full: bool = False, target_dir: str = "dbt_target") -> BuildPlan:
    """How much of the project a build must run on this warehouse.

    In full (``--full-refresh``, every model and test) when asked, on a first build, or when the project
    (models, macros, seeds, settings, dbt and DuckDB versions) differs from the last successful build's.
    Otherwise only what the raw data changed since then needs: the models and tests downstream of each dbt
    source whose table changed (``--select source:<name>+``; dbt's tests follow their models), with the
    incremental models adding only new publications. Nothing, when no source changed. Everything else was
    built and tested by that earlier build from the same inputs, so it is what a full rebuild would make.
    """
    state = _read_state(warehouse_dir, target_dir)
    if full:
        return BuildPlan(["--full-refresh"], "full: asked for (--full)")
    if state.get("fingerprint") != project_fingerprint():
        return BuildPlan(["--full-refresh"], "full: first build, or the project changed since the last")
    # the source tables recorded with that build (the same project, so the same sources): no manifest to read
    relations = state.get("relations") if isinstance(state.get("relations"), dict) else None
    before, now = state.get("sources"), source_checksums(warehouse_dir, target_dir, relations)
    if not isinstance(before, dict) or now is None:
        return BuildPlan([], "incremental: every model (the last build did not record its raw sources)")
    changed = sorted(name for name in now.keys() | before.keys() if now.get(name) != before.get(name))
    if not changed:
        return BuildPlan([], "nothing to build: no raw source changed since the last successful build", skip=True)
    why = f"incremental: {len(changed)} of {len(now)} raw sources changed ({', '.join(changed)})"
    return BuildPlan(["--select", *[f"source:{name}+" for name in changed]], why, relations=relations, sources=now)


def record_project_state(
    warehouse_dir: Path, target_dir: str = "dbt_target", *, tested: bool = True, plan: BuildPlan | None = None
) -> None:
    """After a successful build: the project its incremental models were built with and, when the build
    ran the data tests, the checksums of the raw sources it built and tested (the next build's baseline):
    those the plan computed when it has them (the same tables, read once; and a raw table changed by
    someone else while dbt ran is then seen as changed by the next build, not recorded as built)."""
    state = warehouse_dir / target_dir / PROJECT_STATE
    state.parent.mkdir(parents=True, exist_ok=True)
    recorded: dict = {"fingerprint": project_fingerprint()}
    if tested:
        if plan is not None and plan.relations is not None and plan.sources is not None:
            relations, sources = plan.relations, plan.sources
        else:
            relations = source_relations(warehouse_dir, target_dir)
            sources = source_checksums(warehouse_dir, target_dir, relations)
        recorded["relations"] = relations
        recorded["sources"] = sources
    tmp = state.with_name(f".{PROJECT_STATE}.{os.getpid()}")
    tmp.write_text(json.dumps(recorded, sort_keys=True), encoding="utf-8")
    os.replace(tmp, state)


def dbt_build(
    warehouse_dir: Path,
    args: list[str],
    *,
    on_line: Callable[[str], None] | None = None,
    full: bool = False,
    started: StartedDbt | None = None,
) -> DbtResult:
    """``dbt build <args>`` on the DuckDB work file, as much of it as ``plan_build`` says (in full, only
    what changed raw sources need, or nothing); records the project and the sources on success.
    started: a dbt process started ahead for this warehouse (``StartedDbt``), used instead of a new one."""
    plan = plan_build(warehouse_dir, full=full)
    if plan.skip:
        return DbtResult(0, mode=plan.mode)
    command = ["build", *args, *plan.args]
    if started is not None:
        assert started.warehouse_dir == warehouse_dir.resolve(), "a dbt started for another warehouse"
        result = started.run(command, on_line=on_line)
    else:
        result = run_dbt(command, warehouse_dir, on_line=on_line)
    result.mode = plan.mode
    if result.ok:
        tested = not any(pair == ("--exclude-resource-type", "test") for pair in itertools.pairwise(args))
        record_project_state(warehouse_dir, tested=tested, plan=plan)
    return result
