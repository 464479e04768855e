"""Shared fixtures: the repository root, the real data folder (skipped when absent), fresh warehouses."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

# pytest-xdist gives its workers the controller's terminal width (COLUMNS=80); the CLI's consoles read it
# once at import, which would fix every in-process run at 80 columns. Tests that need a width set it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("ICE287G_REALDATA", REPO.parent / "shared" / "realdata"))
SAMPLE = REPO / "data" / "sample"


TIERS = ("unit", "integration", "e2e")

# The suite's throwaway builds skip `dbt docs generate --static` (the site's Docs page, a few seconds per
# publish); the shared sample warehouse keeps it (built by `make test`, or below with ICE287G_DBT_DOCS=1).
os.environ.setdefault("ICE287G_DBT_DOCS", "0")


def pytest_collection_modifyitems(config, items):
    """Mark every test with its tier, taken from its folder (tests/python/<tier>/): `-m unit` etc.; then
    put the modules that run builds of their own (a `slow` test) first, so that under `--dist loadfile`
    the long modules start at once on both workers and the short ones fill in after them."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(Path(__file__).parent).parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))
    slow_modules = {str(item.fspath) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: str(item.fspath) not in slow_modules)  # stable: order within kept


@contextmanager
def shared_build(tmp_path_factory, name: str):
    """A folder for a session-wide warehouse that is built once even under pytest-xdist (make test runs
    `-n 2 --dist loadfile`: each module on one worker, so module fixtures are built once): the workers
    share their parent temp folder, the first one builds under a file lock and marks it done, the others
    wait and reuse it. Yields (folder, built): build into folder when built is False."""
    from filelock import FileLock

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield tmp_path_factory.mktemp(name), False
        return
    root = tmp_path_factory.getbasetemp().parent  # pytest-<n>/, shared by popen-gw0, popen-gw1, ...
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with FileLock(str(root / f"shared-{name}.lock")):
        if done.exists():
            yield folder, True
            return
        shutil.rmtree(folder, ignore_errors=True)  # a half-built folder of a worker that failed
        folder.mkdir()
        yield folder, False
        done.touch()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def realdata() -> Path:
    """../shared/realdata, or skip: it exists on the developers' and CI machines, not on a user's."""
    if not (REALDATA / "MANIFEST.md").exists():
        pytest.skip(f"real data not available at {REALDATA} (../shared is absent on this machine)")
    return REALDATA


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def built_sample_warehouse(tmp_path_factory) -> Path:
    """A warehouse built and published from data/sample, read-only (tests copy it).

    `make test` builds one with --strict just before pytest and passes it in ICE287G_TEST_BUILT_WAREHOUSE;
    it is reused when its raw files are exactly the committed sample's. Otherwise it is built here once.
    """
    from warehouse_support import copy_raw, prebuilt_warehouse, run_cli

    prebuilt = prebuilt_warehouse(os.environ.get("ICE287G_TEST_BUILT_WAREHOUSE"))
    if prebuilt is not None:
        return prebuilt
    with shared_build(tmp_path_factory, "built") as (root, built):
        warehouse = root / "wh"
        if not built:
            raw = copy_raw(root / "raw")
            result = run_cli(
                "build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict", ICE287G_DBT_DOCS="1"
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse


@pytest.fixture(scope="session")
def built_real_warehouse(realdata: Path, tmp_path_factory) -> Path:
    """A warehouse built once from all of ../shared/realdata (ICE sheets, census, arrests): ingest and a
    full `dbt build` (every model and dbt data test green; dbt's unit tests test the SQL, not the data, and
    run in the sample build). Shared by the real-data suites; tests only read it (or copy it)."""
    from ingest.pipeline import ingest_dir
    from ingest.project import dbt_build

    with shared_build(tmp_path_factory, "real_wh") as (wh, built):
        if not built:
            summary = ingest_dir(realdata, wh / "work.duckdb")
            assert not summary.rejected, [o.detail for o in summary.rejected]
            result = dbt_build(wh, ["--exclude-resource-type", "unit_test"])  # records its sources (a baseline)
            assert result.ok, result.failures
    return wh


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on a unix socket in a temporary folder (tests/python/pg_support.py),
    shared by the session and stopped at its end. Skips when PostgreSQL is not installed, except with
    CI=true, where a missing PostgreSQL fails the run."""
    from pg_support import start_cluster

    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and no PostgreSQL cluster could be started: {exc}")
        pytest.skip(f"PostgreSQL is not available on this machine ({exc}); the PostgreSQL tests need it")
    yield cluster
    cluster.stop()
