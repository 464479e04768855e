"""Shared fixtures: the repository root, the real data folder (skipped when absent), fresh warehouses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("ICE287G_REALDATA", REPO.parent / "shared" / "realdata"))
SAMPLE = REPO / "data" / "sample"


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
