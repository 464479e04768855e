"""Test hook: pause the build at a named stage so a crash test can SIGKILL it there deterministically.

Set ``ICE287G_TEST_PAUSE_AT=<stage>`` (``ingest-land``, ``dbt``, ``publish-db``, ``publish-swap``);
when the build reaches that stage it writes the stage name to ``ICE287G_TEST_PAUSE_FILE`` (if set),
prints ``PAUSED AT <stage>`` and sleeps ``ICE287G_TEST_PAUSE_SECONDS`` (default 120). Unset, it is a
no-op costing one environment lookup.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STAGES = ("ingest-land", "dbt", "publish-db", "publish-swap")


def pause_point(stage: str) -> None:
    """Sleep here when the environment asks the build to pause at ``stage`` (crash tests only)."""
    if os.environ.get("ICE287G_TEST_PAUSE_AT") != stage:
        return
    marker = os.environ.get("ICE287G_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(stage, encoding="utf-8")
    print(f"PAUSED AT {stage}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get("ICE287G_TEST_PAUSE_SECONDS", "120")))
