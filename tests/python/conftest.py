"""Shared fixtures: the repository root, the real data folder (skipped when absent), fresh warehouses."""

from __future__ import annotations

import os
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


# Modules whose tests read one session-wide warehouse run on one pytest-xdist worker, so it is built once.
SHARED_GROUPS = {"built_real_warehouse": "realdata"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Mark every test with its tier, taken from its folder (tests/python/<tier>/): `-m unit` etc.

    For `pytest -n N --dist loadgroup` (make test): unit tests are spread one by one; every integration
    and e2e module runs whole on one worker (its module fixtures, e.g. a built warehouse, are built
    once), and modules that read a session-wide warehouse (SHARED_GROUPS) share a worker with each other.
    """
    for item in items:
        parts = Path(str(item.fspath)).relative_to(Path(__file__).parent).parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))
        if parts and parts[0] != "unit" and not any(item.iter_markers("xdist_group")):
            shared = [g for f, g in SHARED_GROUPS.items() if f in getattr(item, "fixturenames", ())]
            item.add_marker(pytest.mark.xdist_group(shared[0] if shared else Path(parts[-1]).stem))


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
    root = tmp_path_factory.mktemp("built")
    raw = copy_raw(root / "raw")
    warehouse = root / "wh"
    result = run_cli(
        "build", "--raw-dir", str(raw), "--warehouse-dir", str(warehouse), "--strict", ICE287G_DBT_DOCS="1"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse


@pytest.fixture(scope="session")
def built_real_warehouse(realdata: Path, tmp_path_factory) -> Path:
    """A warehouse built once from all of ../shared/realdata (ICE sheets, census, arrests): ingest and a
    full `dbt build` (every model and dbt test green). Shared by the real-data suites; tests only read it."""
    from ingest.pipeline import ingest_dir
    from ingest.project import run_dbt

    wh = tmp_path_factory.mktemp("real_wh")
    summary = ingest_dir(realdata, wh / "work.duckdb")
    assert not summary.rejected, [o.detail for o in summary.rejected]
    result = run_dbt(["build"], wh)
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
