"""The exports of a publication: every mart as Parquet and CSV, plus dictionary.csv and README.md.

- Rows are sorted by the table's primary key (from the dictionary), so a diff of two publications
  shows what changed and a spreadsheet opens in key order.
- CSV: UTF-8 with a byte-order mark (one file, not an ``-excel.csv`` twin: Excel is how most readers
  open a CSV and it needs the BOM to read UTF-8, while DuckDB, pandas, R and LibreOffice skip it; a
  second copy of every table would double the exports for one program). Written by DuckDB's CSV
  writer (empty string quoted, null empty).
- Parquet: written with pyarrow from DuckDB's Arrow result so the schema carries the table's
  description, grain and primary key and every field its column description. Codes (FIPS, GEOIDs)
  are strings there, as in the marts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.dictionary import TableDoc, exports_readme, write_dictionary_csv
from ingest.export_safety import csv_select
from ingest.sql import quote_ident, quote_literal

BOM = b"\xef\xbb\xbf"


def order_by(table: TableDoc) -> str:
    """ORDER BY clause: the primary key, then every column (a total, repeatable order)."""
    keys = list(table.primary_key) + [c.name for c in table.columns if c.name not in table.primary_key]
    return ", ".join(f"{quote_ident(k)} asc nulls last" for k in keys)


def parquet_schema_metadata(table: TableDoc) -> dict[bytes, bytes]:
    return {
        b"table": table.name.encode(),
        b"description": table.description.encode(),
        b"grain": table.grain.encode(),
        b"primary_key": json.dumps(table.primary_key).encode(),
    }


def write_table(con: duckdb.DuckDBPyConnection, qualified: str, table: TableDoc, export_dir: Path) -> None:
    """``<table>.parquet`` and ``<table>.csv`` of one table, sorted by its key: one sorted read into Arrow,
    both files written from it (DuckDB scans an Arrow table in its order)."""
    relation = con.sql(f"select * from {qualified} order by {order_by(table)}")
    columns = [(name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)]
    arrow = relation.to_arrow_table()
    base = export_dir / table.name
    described = {c.name: c.description for c in table.columns}
    fields = [f.with_metadata({b"description": described.get(f.name, "").encode()}) for f in arrow.schema]
    schema = pa.schema(fields, metadata=parquet_schema_metadata(table))
    # the same columns under the described schema (Table.cast would import pyarrow.compute: ~0.6 s)
    pq.write_table(pa.Table.from_arrays(arrow.columns, schema=schema), f"{base}.parquet")
    plain = export_dir / f".{table.name}.csv.tmp"
    # text cells a spreadsheet would run as a formula are neutralised (ingest/export_safety.py), in key order;
    # the types are the table's own (DuckDB's), so each column is written as DuckDB writes it
    view = f"__export_{table.name}"
    con.register(view, arrow)
    try:
        select = csv_select(quote_ident(view), columns)
        con.execute(f"copy ({select}) to {quote_literal(plain.as_posix())} (format csv, header true)")
    finally:
        con.unregister(view)
    with open(f"{base}.csv", "wb") as out, open(plain, "rb") as src:
        out.write(BOM)
        shutil.copyfileobj(src, out, 1 << 20)
    plain.unlink()


# Beside a publication's exports folder: each mart's export key (export_key), so the next publication can
# take the files of a mart whose key is unchanged instead of writing them again.
EXPORT_KEYS = "exports.keys.json"
_WRITERS = (Path(__file__), Path(__file__).with_name("export_safety.py"))  # the code the files are made by


def export_key(con: duckdb.DuckDBPyConnection, qualified: str, table: TableDoc) -> str:
    """What a mart's two export files are a function of: the code and library versions that write them, the
    table's documentation (Parquet metadata, column order and types) and its rows — as a row count and two
    order-independent 64-bit sums of DuckDB's row hashes (the files are sorted by a total order, so the
    same multiset of rows gives the same bytes)."""
    rows = con.execute(
        f"select count(*), coalesce(sum(hash(t)), 0), coalesce(sum(hash(t, 'export')), 0) from {qualified} as t"
    ).fetchall()[0]
    digest = hashlib.sha256(_writers_digest())
    digest.update(json.dumps([repr(table), [str(v) for v in rows]]).encode())
    return digest.hexdigest()


@functools.cache
def _writers_digest() -> bytes:
    """The part of every export key that is the same for all marts: the writing code and library versions
    (read once per process, not once per mart)."""
    digest = hashlib.sha256()
    for path in _WRITERS:
        digest.update(path.read_bytes())
    digest.update(json.dumps([duckdb.__version__, pa.__version__]).encode())
    return digest.digest()


def _reuse(previous: Path | None, keys: dict[str, str], name: str, key: str, export_dir: Path) -> bool:
    """Hard-link (or copy) the previous publication's two files of a mart with the same key; False if none."""
    if previous is None or keys.get(name) != key:
        return False
    sources = [previous / f"{name}.parquet", previous / f"{name}.csv"]
    if not all(src.is_file() for src in sources):
        return False
    for src in sources:
        dest = export_dir / src.name
        try:
            os.link(src, dest)
        except OSError:  # another file system, or links not allowed: a copy is the same bytes
            shutil.copyfile(src, dest)
    return True


def previous_keys(previous: Path | None) -> dict[str, str]:
    """The export keys recorded beside a publication's exports folder ({} when none or unreadable)."""
    if previous is None:
        return {}
    try:
        keys = json.loads((previous.parent / EXPORT_KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


@dataclass(frozen=True)
class ExportJob:
    """What a publication's exports are: the tables' docs, the folder, the build info (README.md), and the
    current publication's exports folder (previous), from which unchanged marts are taken."""

    tables: list[TableDoc]
    export_dir: Path
    info: dict[str, str]
    previous: Path | None = None


def write_exports(
    con: duckdb.DuckDBPyConnection, database: str, job: ExportJob, *, work_file: bool = False
) -> dict[str, bool]:
    """Every mart of ``job.tables`` (``dbt_schema == 'marts'``) into its export_dir, then dictionary.csv and
    README.md. ``database``: a marts file (its published schemas), or with ``work_file`` the work file the
    marts file is copied from (dbt's schemas: the same tables, columns, types and rows).

    A mart whose export key (``export_key``) is the one recorded beside ``job.previous`` is taken from there
    (hard links), not written again. The keys of this publication are written beside its export_dir
    (``EXPORT_KEYS``). Returns {mart: taken from previous}.
    """
    export_dir = job.export_dir
    export_dir.mkdir(parents=True, exist_ok=True)
    marts = [t for t in job.tables if t.dbt_schema == "marts"]
    keys_before, keys, reused = previous_keys(job.previous), {}, {}
    for table in marts:
        schema = table.dbt_schema if work_file else table.published_schema
        qualified = f"{quote_ident(database)}.{quote_ident(schema)}.{quote_ident(table.name)}"
        keys[table.name] = export_key(con, qualified, table)
        reused[table.name] = _reuse(job.previous, keys_before, table.name, keys[table.name], export_dir)
        if not reused[table.name]:
            write_table(con, qualified, table, export_dir)
    write_dictionary_csv(marts, export_dir / "dictionary.csv")
    (export_dir / "README.md").write_text(exports_readme(marts, job.info), encoding="utf-8")
    (export_dir.parent / EXPORT_KEYS).write_text(json.dumps(keys, indent=1, sort_keys=True), encoding="utf-8")
    return reused


class ExportsFailed(RuntimeError):
    """The exports process ended in an error (its type and message, as the process printed them)."""


@dataclass
class ExportsProcess:
    """``write_exports`` in a process of its own, beside the site (which renders in the publishing process).

    The site is Python (templates, SVG) and holds the interpreter; the marts file and the exports are
    DuckDB's copy, sort and CSV writer and pyarrow's Parquet writer, so on two cores they overlap almost
    fully. A process, not a thread: each has its own DuckDB instance (DuckDB allows several readers of a
    file no process writes) and its own interpreter (no shared lock, no value conversions racing in one
    DuckDB Python module). The tables' docs and the build info go to the process on its stdin.

    ``work``: the marts file is written too, from this work file (``ingest.marts_file``), by a second
    process beside the first, which then writes the exports from the work file itself (its marts are what
    the marts file copies, and the publishing process holds the work file open, read-only, until both
    end: no build writes it meanwhile). One after the other in one process they were the publish's
    longest part (a new sheet into the archive warehouse: marts file 1.9 s, then exports 1.8 s, while
    the site took ~1.1 s). ``counts`` are then the marts file's rows per published table, once ``wait``
    returned.
    """

    marts_file: Path
    job: ExportJob
    work: Path | None = None
    proc: subprocess.Popen | None = None  # the exports
    marts_proc: subprocess.Popen | None = None  # the marts file (with work)
    # processes started ahead (``spawn_helpers``), taken from here by ``start`` (one is started if absent)
    helpers: dict[str, subprocess.Popen] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict, init=False)
    _stderr: dict[str, str] = field(default_factory=dict, init=False)  # what each printed on stderr, once ended

    def start(self) -> ExportsProcess:
        work = None if self.work is None else str(self.work)
        self.proc = _start(self._helper("exports"), (str(self.marts_file), self.job, work))
        if work is not None:
            self.marts_proc = _start(self._helper("marts"), (str(self.marts_file), self.job, work))
        return self

    def _helper(self, task: str) -> subprocess.Popen:
        proc = self.helpers.pop(task, None)
        return proc if proc is not None and proc.poll() is None else spawn(task)

    def wait_exports(self) -> Path:
        """Until the exports are written (their folder); ExportsFailed (with the process's error) when they
        were not. Called again, it answers the same."""
        assert self.proc is not None, "start() first"
        self._finish("exports", self.proc)
        return self.job.export_dir

    def wait(self) -> Path:
        """Until the exports and the marts file are written (the exports' folder); ExportsFailed (with the
        error of the process that failed) when either was not. Called again, it answers the same."""
        if self.marts_proc is not None:
            out = self._finish("marts", self.marts_proc)
            if out.strip():
                self.counts = json.loads(out.strip().splitlines()[-1])  # the last line: its JSON
        return self.wait_exports()

    def _finish(self, task: str, proc: subprocess.Popen) -> str:
        """The output of a process once it ended; ExportsFailed when it failed."""
        out = b""
        if proc.returncode is None:
            out, err = proc.communicate()  # both pipes read to their end: neither can fill up
            self._stderr[task] = err.decode("utf-8", "replace")
        if proc.returncode != 0:
            last = [line for line in self._stderr.get(task, "").strip().splitlines() if line.strip()]
            what = "the marts file" if task == "marts" else "the exports"
            raise ExportsFailed(
                f"writing {what} into {self.job.export_dir.parent} failed (exit {proc.returncode}): "
                f"{last[-1] if last else 'no message'}"
            )
        return out.decode("utf-8", "replace")

    def stop(self) -> None:
        """Kill the processes that still run (the publish failed elsewhere)."""
        for proc in (self.proc, self.marts_proc):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()


def spawn(task: str) -> subprocess.Popen:
    """``python -m ingest.exports`` for ``task`` (``marts`` or ``exports``): it imports what it needs, then
    waits for its payload on stdin (``_start``)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ingest.exports", task],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def spawn_helpers() -> dict[str, subprocess.Popen]:
    """Both processes of a publish with exports, started before it has their work: each imports DuckDB,
    pyarrow and this package (~0.3 s of CPU) while the publish prepares (dbt's docs page, the build info,
    the tables' docs), on a core that is otherwise idle then. ``stop_helpers`` ends those never used."""
    return {task: spawn(task) for task in ("exports", "marts")}


def stop_helpers(helpers: dict[str, subprocess.Popen]) -> None:
    """End the helpers ``ExportsProcess.start`` did not take (the publish failed before, or wrote no exports)."""
    for proc in helpers.values():
        if proc.poll() is None:
            proc.kill()
        proc.communicate()  # reaps it and closes its pipes
    helpers.clear()


def _start(proc: subprocess.Popen, payload: tuple) -> subprocess.Popen:
    """Hand a spawned process its payload (pickled on its stdin)."""
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps(payload))
    proc.stdin.close()
    proc.stdin = None  # written and closed: communicate() only reads the process's output
    return proc


def _main() -> int:
    """``python -m ingest.exports TASK``: read (marts file, ExportJob, work file or None) pickled on stdin.
    ``marts``: write the marts file from the work file (its rows per table printed on stdout as JSON).
    ``exports``: write the exports from the work file when one is given, else from the marts file (opened
    read-only). An error is printed as ``<type>: <message>`` on one line (exit 1)."""
    task = sys.argv[1] if len(sys.argv) > 1 else "exports"
    marts_file, job, work = pickle.loads(sys.stdin.buffer.read())
    try:
        if task == "marts":
            from ingest.marts_file import write_marts_file

            print(json.dumps(write_marts_file(Path(work), Path(marts_file), job.info)))
            return 0
        con = duckdb.connect(work if work is not None else marts_file, read_only=True)
        try:
            database = con.execute("select current_database()").fetchall()[0][0]  # fetchall: a finished result
            write_exports(con, database, job, work_file=work is not None)
        finally:
            con.close()
    except Exception as exc:  # the publishing process reports its last line and fails the publish
        message = " ".join(str(exc).split())  # one line: DuckDB's end in the query and a caret line
        print(f"{type(exc).__module__}.{type(exc).__qualname__}: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
