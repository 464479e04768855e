"""What one expectation found in one file: ``CheckResult`` (stored in ``raw.validation_results``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warn"]  # error: guards landing (a failure quarantines) | warn: counted only
CheckStatus = Literal["passed", "failed", "warned"]


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome for one file (one row of ``raw.validation_results``)."""

    suite: str
    expectation: str
    success: bool
    severity: Severity = "error"
    observed: str | None = None
    column: str | None = None  # the landed column the expectation reads (None: file level)
    gx_type: str | None = None  # the GX expectation class (None: a check of our own, e.g. file_readable)
    examples: list[str] = field(default_factory=list)  # up to a few "row R: column = value" lines
    row: int | None = None  # the first offending row (Excel / file line numbering)

    @property
    def status(self) -> CheckStatus:
        """passed; failed (an ``error`` expectation: the file is quarantined); warned (counted only)."""
        if self.success:
            return "passed"
        return "failed" if self.severity == "error" else "warned"
