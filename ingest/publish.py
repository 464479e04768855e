"""Publish the marts: a separate read-only DuckDB file and Parquet/CSV exports, swapped in atomically.

BI tools never open the work file (DuckDB allows one writer and no readers while it is written).
Each publication is written complete into its own folder, then made current by one atomic rename::

    warehouse/publications/<stamp>/marts.duckdb      the marts (+ reference, build_info)
    warehouse/publications/<stamp>/exports/          <mart>.parquet, <mart>.csv, dictionary.csv, README.md
    warehouse/publications/<stamp>/site/             the static site (ingest/site/), rendered from the work
                                                     file's tables that marts file is copied from, meanwhile
    warehouse/publications/<stamp>/exports.keys.json each mart's export key: the next publication hard-links
                                                     the files of a mart whose key is unchanged (ingest/exports.py)
    warehouse/current      -> publications/<stamp>   swapped with os.replace (atomic)
    warehouse/marts.duckdb -> current/marts.duckdb   stable paths for users and BI tools
    warehouse/exports      -> current/exports
    warehouse/site         -> current/site           open site/index.html (file:// works)

So the database, the exports and the site always come from the same build, a reader sees either the old or
the new publication (never half of one), and a reader holding the old file open keeps reading it
(the previous publications are kept, only older ones are removed). A failure or a kill at any step
before the swap leaves the previous publication current; a stray ``.publishing-*`` folder is
removed by the next publish.

The marts file is written in DuckDB storage version v1.0.0 (STORAGE_VERSION), which DuckDB 1.1 and
every later release open, and every file of a publication is made read-only on disk (0444) before it
is swapped in: a BI client that opens it read-write gets "permission denied" instead of creating a
table and locking the readers out. Folders stay writable by their owner, so old publications can
still be pruned.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest import __version__, dictionary, provenance
from ingest.exports import ExportJob, ExportsFailed, ExportsProcess, spawn_helpers, stop_helpers
from ingest.faults import pause_point
from ingest.marts_file import published_tables, write_marts_file
from ingest.site import MartsSource, write_site
from ingest.sql import quote_literal

READ_ONLY_FILE_MODE = 0o444

PUBLISHED_SCHEMAS = ("marts", "reference")
# Columns that must never leave the warehouse (personal fields of arrest records).
DENY_COLUMNS = {
    "birth_date",
    "birth_year",
    "date_of_birth",
    "alien_file_number",
    "a_number",
    "eid_case_id",
    "eid_subject_id",
    "unique_identifier",
    "anonymized_identifier",
    "person_id",
    "subject_id",
    # arrests releases: every personal field a layout carries, under its raw name
    "birthdate",
    "dob",
    "alien_number",
    "anumber",
    "a_file_number",
    "eid_id",
    "unique_id",
    "case_id",
    "fins_number",
    "fbi_number",
    "first_name",
    "last_name",
    "full_name",
    "officer_id",
    "supervisor_id",
    "arrest_created_by",
}


class PublishError(RuntimeError):
    """Publishing refused or failed; the previous publication is untouched."""


def _code_version(project: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or __version__
    except (OSError, subprocess.SubprocessError):
        return __version__


KEEP_PUBLICATIONS = 3  # the current one and two before it (readers may still hold them open)


def publication_dir(warehouse_dir: Path) -> Path | None:
    """The folder of the current publication, or None before the first one."""
    current = warehouse_dir / "current"
    return current.resolve() if current.is_symlink() and current.exists() else None


def describe_current(warehouse_dir: Path) -> str:
    """One line naming the publication in place (for "the previous publication is untouched")."""
    final_db = warehouse_dir / "marts.duckdb"
    if not final_db.exists():
        return "no publication exists yet"
    try:
        con = duckdb.connect(str(final_db), read_only=True)
        try:
            built_at = con.execute("select value from build_info where key = 'built_at'").fetchone()[0]
        finally:
            con.close()
    except duckdb.Error:
        return f"{final_db} (build_info unreadable)"
    return f"{final_db} built at {built_at}"


def publish(warehouse_dir: Path, project: Path, *, exports: bool = True) -> dict[str, int]:
    """Copy marts and reference tables from work.duckdb into a new publication and make it current.

    Returns rows per published table.
    """
    warehouse_dir = warehouse_dir.resolve()
    work = warehouse_dir / "work.duckdb"
    if not work.exists():
        raise PublishError(f"nothing to publish: {work} does not exist (run `ice287g build` first)")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    publications = warehouse_dir / "publications"
    publications.mkdir(exist_ok=True)
    for stray in publications.glob(".publishing-*"):  # left by a killed publish
        shutil.rmtree(stray, ignore_errors=True)
    staging = publications / f".publishing-{stamp}"
    final = publications / stamp
    staging.mkdir()
    tmp_db = staging / "marts.duckdb"
    export_dir = staging / "exports"
    counts: dict[str, int] = {}
    helpers = spawn_helpers() if exports else {}  # the marts file's and the exports' processes, importing meanwhile
    try:
        manifest = _manifest(warehouse_dir) if exports else None
        dbt_docs = _dbt_docs(warehouse_dir) if exports else None
        current = publication_dir(warehouse_dir)
        previous = current / "exports" if current is not None and (current / "exports").is_dir() else None
        staged = StagedPublication(
            stamp, tmp_db, export_dir if exports else None, manifest, dbt_docs, previous, helpers=helpers
        )
        counts = _write_publication(staged, work, project)
        stop_helpers(helpers)  # none left when the exports were written; else the unused ones
        _make_read_only(staging)
        pause_point("publish-db")
        staging.rename(final)
        pause_point("publish-swap")
        _swap_current(warehouse_dir, final)
    except BaseException:
        stop_helpers(helpers)
        shutil.rmtree(staging, ignore_errors=True)
        if final.exists() and publication_dir(warehouse_dir) != final:
            shutil.rmtree(final, ignore_errors=True)
        raise
    _prune(publications, keep=final)
    return counts


def _manifest(warehouse_dir: Path) -> Path:
    """The dbt manifest of the last build (the data dictionary's source); `dbt parse` makes one if missing."""
    from ingest.project import run_dbt

    manifest = warehouse_dir / "dbt_target" / "manifest.json"
    if not manifest.exists():
        result = run_dbt(["parse"], warehouse_dir)
        if not result.ok or not manifest.exists():
            raise PublishError(f"no dbt manifest at {manifest} and `dbt parse` could not write one")
    return manifest


DOCS_CACHE_KEEP = 4  # docs pages kept in the checkout's target/docs_cache/ (the realdata one is ~5 MB)


def _dbt_docs(warehouse_dir: Path) -> Path | None:
    """``dbt docs generate --static`` on the work file (before publishing attaches it): one HTML file for the
    site's Docs page, reused while the project and the catalog are those it was made from (``_docs_key``) —
    by this warehouse, and by any other of this checkout (target/docs_cache/, like dbt's parse cache). A
    failure leaves the site without docs rather than failing the publication.
    ICE287G_DBT_DOCS=0 skips it (the test suite's many throwaway builds save dbt's few seconds each)."""
    from ingest.project import copy_atomic, project_dir, run_dbt

    if os.environ.get("ICE287G_DBT_DOCS", "1") == "0":
        return None
    page = warehouse_dir / "dbt_target" / "static_index.html"
    key_file = page.with_suffix(".key")
    key = _docs_key(warehouse_dir)
    if page.exists() and key_file.exists() and key_file.read_text(encoding="utf-8") == key:
        return page  # same project, same relations and column types: the page dbt wrote last time is this one
    cached = project_dir() / "target" / "docs_cache" / f"{key}.html"
    if cached.exists():  # another warehouse of this checkout had the same project and catalog
        copy_atomic(cached, page)
    else:
        result = run_dbt(["docs", "generate", "--static", "--no-compile"], warehouse_dir)
        if not (result.ok and page.exists()):
            return None
        with contextlib.suppress(OSError):  # a read-only checkout: no shared cache
            copy_atomic(page, cached)
            for old in sorted(cached.parent.glob("*.html"), key=lambda f: f.stat().st_mtime)[:-DOCS_CACHE_KEEP]:
                old.unlink()
    key_file.write_text(key, encoding="utf-8")
    return page


def _docs_key(warehouse_dir: Path) -> str:
    """What dbt's docs page is made of: the project (models, macros, seeds, settings) and the catalog
    (every relation's columns and types in the work file). A new sheet changes neither."""
    import hashlib

    from ingest.project import project_fingerprint

    con = duckdb.connect(str(warehouse_dir / "work.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "select schema_name, table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by all"
        ).fetchall()
    finally:
        con.close()
    return hashlib.sha256(f"{project_fingerprint()}\n{columns!r}".encode()).hexdigest()


def _make_read_only(folder: Path) -> None:
    """Every file below folder read-only (0444); folders keep their mode so pruning can remove them."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(READ_ONLY_FILE_MODE)


@dataclass(frozen=True)
class StagedPublication:
    """A publication being written in its staging folder: its stamp, the new marts file, and (when exports
    are written) the exports folder, the dbt manifest they are documented from and dbt's static docs page."""

    stamp: str
    marts: Path
    export_dir: Path | None = None
    manifest: Path | None = None
    dbt_docs: Path | None = None
    previous_exports: Path | None = None  # the current publication's exports: unchanged marts are taken from it
    # the processes writing the marts file and the exports, started ahead (ingest.exports.spawn_helpers)
    helpers: dict = field(default_factory=dict, compare=False)


def _write_publication(staged: StagedPublication, work: Path, project: Path) -> dict[str, int]:
    """Write marts.duckdb (and the exports and the site) of a new publication into its staging folder.

    With exports, three things run at once: one process writes marts.duckdb and another the exports, both
    from the work file (``ExportsProcess`` with ``work``), while this process renders the site from it;
    all read the same snapshot, since this process holds the work file open (read-only) from before the
    others start until all are done, so no build can write it meanwhile. Without exports, the marts
    file is written here."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {quote_literal(str(work))} as work (read_only)")
        for schema, table, _ in published_tables(con):
            cols = [
                r[0].lower()
                for r in con.execute(
                    "select column_name from duckdb_columns() where database_name='work' "
                    "and schema_name=? and table_name=?",
                    [schema, table],
                ).fetchall()
            ]
            denied = sorted(set(cols) & DENY_COLUMNS)
            if denied:
                raise PublishError(f"{schema}.{table} carries denied personal column(s) {denied}")
        info = {k: str(v) for k, v in _build_info(con, staged, project).items()}
        if staged.export_dir is None or staged.manifest is None:
            return write_marts_file(work, staged.marts, info)
        # the docs' column types and comments from the work file: the marts file copies both as they are
        docs = dictionary.with_types(
            dictionary.from_manifest(dictionary.load_manifest(staged.manifest)), con, "work", published=False
        )
        return _write_files(con, staged, docs, info, work)
    finally:
        con.close()


def _build_info(con: duckdb.DuckDBPyConnection, staged: StagedPublication, project: Path) -> dict[str, object]:
    """The publication's build_info rows (the work file attached to ``con`` as ``work``)."""
    raw_hashes = []
    if con.execute(
        "select count(*) from duckdb_tables() where database_name='work' "
        "and schema_name='raw' and table_name='load_manifest'"
    ).fetchone()[0]:
        raw_hashes = [
            r[0] for r in con.execute("select file_sha256 from work.raw.load_manifest order by file_sha256").fetchall()
        ]
    info: dict[str, object] = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
        "publication": staged.stamp,
        "code_version": _code_version(project),
        "ingest_version": __version__,
        "duckdb_version": duckdb.__version__,
        "python_version": platform.python_version(),
        "raw_file_sha256": json.dumps(raw_hashes),
        "n_raw_files": len(raw_hashes),
    }
    info.update(provenance.sample_label(con, "work", project))
    try:
        from importlib.metadata import version

        info["dbt_core_version"] = version("dbt-core")
        info["dbt_duckdb_version"] = version("dbt-duckdb")
        info["great_expectations_version"] = version("great-expectations")
    except Exception:  # pragma: no cover
        pass
    return info


def _write_files(
    con: duckdb.DuckDBPyConnection, staged: StagedPublication, docs: list, info: dict[str, str], work: Path
) -> dict[str, int]:
    """The marts file and the exports (two processes of their own, ingest/exports.py::ExportsProcess) while
    the site renders here from the work file attached to ``con``; the site's data page, which lists the
    export files, waits for the exports. Either failing fails the publish. Rows per published table."""
    assert staged.export_dir is not None
    job = ExportJob(docs, staged.export_dir, info, staged.previous_exports)
    exporting = ExportsProcess(staged.marts, job, work=work, helpers=staged.helpers).start()
    try:
        source = MartsSource(con, "work", "marts", build_info=info)
        write_site(source, staged.marts.parent / "site", docs, exporting.wait_exports, staged.dbt_docs)
        exporting.wait()  # the marts file too (the site waited for the exports); raises when either failed
    except ExportsFailed as exc:
        raise PublishError(str(exc)) from None
    finally:
        exporting.stop()
    return exporting.counts


def _atomic_symlink(link: Path, target: str) -> None:
    """Point link at target with one rename (replaces a file, a symlink or nothing)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, link)


def _swap_current(warehouse_dir: Path, final: Path) -> None:
    """Make ``final`` the current publication: one atomic rename of the ``current`` symlink."""
    _atomic_symlink(warehouse_dir / "current", os.path.relpath(final, warehouse_dir))
    # The stable entry points; created once (or converted from the older layout: a real
    # marts.duckdb file and an exports -> exports-<stamp> link), each with one rename.
    for name, target in (
        ("marts.duckdb", "current/marts.duckdb"),
        ("exports", "current/exports"),
        ("site", "current/site"),
    ):
        link = warehouse_dir / name
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        _atomic_symlink(link, target)
    for old in warehouse_dir.glob("exports-*"):  # older layout's export folders
        shutil.rmtree(old, ignore_errors=True)


def _prune(publications: Path, keep: Path) -> None:
    """Remove all but the newest KEEP_PUBLICATIONS publications (never the current one)."""
    done = sorted(
        (p for p in publications.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name
    )
    for old in done[:-KEEP_PUBLICATIONS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
