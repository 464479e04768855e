"""Any DuckDB client opens the published marts read-only: older DuckDB releases (in their own
virtualenvs), a non-root writer refused by the file mode, table names however the file is attached,
the duckdb-engine SQLAlchemy URL, and pruning of old (read-only) publications."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from warehouse_support import REPO, copy_warehouse

# DuckDB 1.1.x (the oldest release the published storage version targets) and the newest 1.x on PyPI
# when this was written (`pip index versions duckdb`: 2.0.1, 2.0.0, 1.5.6, ...).
OLD_CLIENTS = ("1.1.3", "1.5.6")


def _reachable_by_others(path: Path) -> bool:
    """Every folder on the way is traversable and the file readable/executable by any user."""
    path = path.resolve()
    if not path.exists() or not path.stat().st_mode & stat.S_IROTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def _base_python() -> Path:
    """An interpreter a non-root user can run too (CI's may live under /root), for the client venvs."""
    for cand in (sys.executable, sys.base_prefix + "/bin/python3", "/usr/bin/python3", shutil.which("python3")):
        if cand and _reachable_by_others(Path(cand)) and os.access(Path(cand).resolve(), os.X_OK):
            return Path(cand).resolve()
    return Path(sys.executable).resolve()


# git-ignored; in a temporary folder when the repository is not reachable by other users
CLIENT_CACHE = (
    REPO / ".cache" / "duckdb-clients"
    if _reachable_by_others(REPO)
    else Path(tempfile.gettempdir()) / "ice287g-duckdb-clients"
)

CLIENT_SCRIPT = r"""
import json, sys, duckdb
path = sys.argv[1]
con = duckdb.connect(path, read_only=True)
tables = con.execute(
    "select schema_name, table_name, comment from duckdb_tables() order by schema_name, table_name").fetchall()
counts = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t, _ in tables}
commented = sum(1 for _, _, c in tables if c)
try:
    con.execute("create table intruder (a integer)")
    write = "allowed"
except duckdb.Error as exc:
    write = type(exc).__name__ + ": " + str(exc)[:200]
con.close()
other = duckdb.connect()
other.execute(f"attach '{path}' as marts (read_only)")
attached = other.execute("select count(*) from marts.dim_agencies").fetchone()[0]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "commented": commented,
                  "write": write, "attached_dim_agencies": attached}))
"""


def _client_python(version: str) -> Path:
    """A virtualenv with duckdb==version (cached under .cache/duckdb-clients/, git-ignored)."""
    venv = CLIENT_CACHE / version
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        venv.parent.chmod(0o755)
        subprocess.run([str(_base_python()), "-m", "venv", str(venv)], check=True, capture_output=True)
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"duckdb=={version}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if pip.returncode != 0:
            msg = f"cannot install duckdb=={version} into {venv}: {pip.stderr[-500:]}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(msg)
            pytest.skip(msg)
        marker.touch()
    return python


def _published_counts(marts: Path) -> dict[str, int]:
    con = duckdb.connect(str(marts), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        con.close()


@pytest.mark.parametrize("version", OLD_CLIENTS)
def test_duckdb_1x_client_opens_the_published_marts_read_only(built_sample_warehouse: Path, version: str):
    marts = (built_sample_warehouse / "marts.duckdb").resolve()
    python = _client_python(version)
    out = subprocess.run(
        [str(python), "-c", CLIENT_SCRIPT, str(marts)], capture_output=True, text=True, timeout=120, cwd="/"
    )
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["version"] == version
    assert seen["counts"] == _published_counts(marts)  # every table, every row
    n_marts = sum(1 for name in seen["counts"] if name.startswith("main.") and name != "main.build_info")
    assert n_marts > 25 and seen["commented"] >= n_marts  # every mart carries its dbt docs as a comment
    assert seen["write"] != "allowed" and "read-only" in seen["write"].lower()
    assert seen["attached_dim_agencies"] == seen["counts"]["main.dim_agencies"]


def test_published_files_are_read_only_on_disk(built_sample_warehouse: Path):
    pub = (built_sample_warehouse / "current").resolve()
    files = [p for p in pub.rglob("*") if p.is_file()]
    assert any(p.name == "marts.duckdb" for p in files) and len(files) > 50
    for path in files:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0, f"{path} is writable ({oct(mode)})"
    assert stat.S_IMODE(pub.stat().st_mode) & stat.S_IWUSR  # folders stay removable by their owner


def test_a_non_root_read_write_client_is_refused_by_the_file_mode(built_sample_warehouse: Path):
    """A default (read-write) DuckDB 1.x client cannot open the file. CI runs as root, which ignores
    mode bits: the attempt runs as ``nobody`` there."""
    python = _client_python(OLD_CLIENTS[-1])
    runner: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot attempt the write as a non-root user")
        runner = [runuser, "-u", "nobody", "--"]
        if not _reachable_by_others(python):
            pytest.skip(f"{python} cannot be run by nobody")
    folder = Path(tempfile.mkdtemp(prefix="ice287g-ro-"))
    try:
        folder.chmod(0o755)
        marts = folder / "marts.duckdb"
        shutil.copy2((built_sample_warehouse / "marts.duckdb").resolve(), marts)  # mode 0444 kept
        script = (
            "import sys, duckdb\n"
            "ro = duckdb.connect(sys.argv[1], read_only=True)\n"
            "print('read', ro.execute('select count(*) from dim_agencies').fetchone()[0]); ro.close()\n"
            "try:\n"
            "    con = duckdb.connect(sys.argv[1])\n"
            "    con.execute('create table intruder (a integer)'); con.close(); print('WROTE')\n"
            "except duckdb.Error as exc:\n"
            "    print('refused', type(exc).__name__, exc)\n"
        )
        out = subprocess.run(
            [*runner, str(python), "-c", script, str(marts)], capture_output=True, text=True, timeout=60, cwd="/"
        )
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.startswith("read ") and int(out.stdout.split()[1]) > 0, out.stdout
        assert "WROTE" not in out.stdout and "refused" in out.stdout, out.stdout
        assert "permission denied" in out.stdout.lower(), out.stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_table_names_work_however_the_file_is_attached(built_sample_warehouse: Path, tmp_path: Path):
    copy = tmp_path / "w.duckdb"  # a copy under another name: the catalog is `w`, not `marts`
    shutil.copy2((built_sample_warehouse / "marts.duckdb").resolve(), copy)
    con = duckdb.connect(str(copy), read_only=True)
    n = con.execute("select count(*) from dim_agencies").fetchone()[0]
    assert n > 0
    assert con.execute("select count(*) from main.dim_agencies").fetchone()[0] == n
    assert con.execute("select count(*) from w.dim_agencies").fetchone()[0] == n
    assert con.execute("select count(*) from reference.states").fetchone()[0] > 50
    con.close()
    other = duckdb.connect()
    other.execute(f"attach '{copy}' as marts (read_only)")  # the README recipe
    assert other.execute("select count(*) from marts.dim_agencies").fetchone()[0] == n
    assert other.execute("select count(*) from marts.reference.states").fetchone()[0] > 50
    other.execute(f"attach '{copy}' as bi (read_only)")
    assert other.execute("select count(*) from bi.main.dim_agencies").fetchone()[0] == n
    views = other.execute("select count(*) from duckdb_views() where not internal and database_name = 'marts'")
    assert views.fetchone()[0] == 0  # no view binds a catalog name
    other.close()


def test_sqlalchemy_url_reads_and_cannot_write(built_sample_warehouse: Path):
    import sqlalchemy as sa

    marts = (built_sample_warehouse / "marts.duckdb").resolve()
    engine = sa.create_engine(f"duckdb:///{marts}?access_mode=read_only")
    try:
        with engine.connect() as con:
            n = con.execute(sa.text("select count(*) from dim_publications")).scalar_one()
            assert n > 0
            assert "dim_agencies" in sa.inspect(con).get_table_names()
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                con.execute(sa.text("create table intruder (a integer)"))
    finally:
        engine.dispose()


def test_pruning_removes_old_read_only_publications(built_sample_warehouse: Path, tmp_path: Path, capsys):
    from ingest.cli import main
    from ingest.publish import KEEP_PUBLICATIONS

    warehouse = copy_warehouse(built_sample_warehouse, tmp_path / "wh")
    for _ in range(KEEP_PUBLICATIONS + 1):  # `ice287g publish`, in this process (the command's own tests run it)
        rc = main(["publish", "--warehouse-dir", str(warehouse)])
        out = capsys.readouterr()
        assert rc == 0, out.out[-2000:] + out.err[-2000:]
    kept = sorted(p.name for p in (warehouse / "publications").iterdir())
    assert len(kept) == KEEP_PUBLICATIONS
    assert (warehouse / "current").resolve().name == kept[-1]
    assert stat.S_IMODE((warehouse / "marts.duckdb").resolve().stat().st_mode) == 0o444


def test_readme_sql_examples_run_on_the_attach_recipe(built_sample_warehouse: Path, repo: Path):
    """Every ```sql block of the README runs, attached as the README says (`attach … as marts (read_only)`)."""
    readme = (repo / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 2
    marts = (built_sample_warehouse / "marts.duckdb").resolve()
    con = duckdb.connect()
    try:
        for block in blocks:
            sql = block.replace("'warehouse/marts.duckdb'", f"'{marts}'")
            if "attach " not in sql:
                sql = f"attach '{marts}' as marts (read_only);\n{sql}"
            sql = "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
            for statement in (s.strip() for s in sql.split(";")):
                if statement:
                    con.execute(statement).fetchall()
            con.execute("use memory")
            con.execute("detach marts")
    finally:
        con.close()
