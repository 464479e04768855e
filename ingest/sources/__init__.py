"""Raw sources, one module each. Order matters only when two could claim a file (first wins)."""

from __future__ import annotations

from ingest.sources.base import Source
from ingest.sources.ice_sheets import IceSheets
from ingest.sources.ledger import Ledger


def all_sources() -> list[Source]:
    """Every source the ingestion knows, in detection order."""
    return [IceSheets(), Ledger()]
