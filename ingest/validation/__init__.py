"""Validation gate run on each parsed file before it lands (see ``validate``)."""

from __future__ import annotations

from typing import Any

from ingest.errors import IngestError
from ingest.sources.base import FileInfo, Parsed


class ValidationFailed(IngestError):
    """A file failed its expectation suite; ``results`` holds every expectation's outcome."""

    def __init__(self, message: str, *, results: list[dict[str, Any]], **kwargs: Any) -> None:
        self.results = results
        super().__init__(message, **kwargs)


def validate(file: FileInfo, parsed: Parsed) -> list[dict[str, Any]]:
    """Run the suite for the parsed file's raw table and layout.

    Returns one dict per expectation (suite, expectation, column, observed, success); raises
    ValidationFailed when any expectation that guards landing fails.
    """
    return []
