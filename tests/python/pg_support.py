"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, listening only on a unix
socket in that folder (no TCP port), stopped and removed at the end of the session.

The binaries are found with ``pg_config --bindir`` (then PATH, then /usr/lib/postgresql/*/bin).
``initdb`` refuses to run as root, so as root the cluster is created and run as the ``postgres`` user
in a folder it owns. Nothing outside the machine is used.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PgCluster:
    """A running cluster: its folder, socket directory and superuser."""

    root: Path
    bindir: Path
    socket_dir: Path
    superuser: str
    run_as: str | None  # the OS user running the server (None: the current user)

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        """A libpq URL for the unix socket (``host`` is the socket directory)."""
        return f"postgresql://{user or self.superuser}@/{dbname}?host={self.socket_dir}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'drop database if exists "{name}" with (force)')
            con.execute(f'create database "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _run_pg([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"], self.run_as)
        shutil.rmtree(self.root, ignore_errors=True)


def find_bindir() -> Path | None:
    """The directory holding initdb/pg_ctl/postgres, or None when PostgreSQL is not installed."""
    candidates: list[str] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))
    candidates.extend(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    for cand in candidates:
        if all((Path(cand) / exe).exists() for exe in ("initdb", "pg_ctl", "postgres")):
            return Path(cand)
    return None


def _run_pg(cmd: list[str], run_as: str | None, timeout: float = 120) -> subprocess.CompletedProcess:
    if run_as:
        runuser = shutil.which("runuser")
        cmd = [runuser, "-u", run_as, "--", *cmd] if runuser else ["su", run_as, "-s", "/bin/sh", "-c", _sh(cmd)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")


def _sh(cmd: list[str]) -> str:
    import shlex

    return " ".join(shlex.quote(c) for c in cmd)


def start_cluster() -> PgCluster:
    """initdb + pg_ctl start in a fresh temporary folder; raises RuntimeError with the reason."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL binaries not found (pg_config --bindir, PATH, /usr/lib/postgresql/*/bin)")
    run_as = None
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root and there is no 'postgres' user to run initdb as") from exc
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="ice287g-pg-"))
    if run_as:
        os.chown(root, pw.pw_uid, pw.pw_gid)
    data = root / "data"
    init = _run_pg(
        [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
        run_as,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr[-2000:]}")
    opts = f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    start = _run_pg(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        run_as,
    )
    if start.returncode != 0:
        log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {start.stderr[-1000:]} {log[-2000:]}")
    return PgCluster(root=root, bindir=bindir, socket_dir=root, superuser="postgres", run_as=run_as)
