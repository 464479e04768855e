"""The job line a started dbt reads (ingest/dbt_main.py::read_job)."""

from __future__ import annotations

import json

import pytest

from ingest.dbt_main import read_job


def test_a_job_is_a_folder_and_dbts_arguments():
    assert read_job(json.dumps({"cwd": "/w", "args": ["build", "--select", "x+"]}) + "\n") == (
        "/w",
        ["build", "--select", "x+"],
    )


@pytest.mark.parametrize("line", ["", "\n", "   \n"])
def test_end_of_input_is_no_job(line):
    assert read_job(line) is None


@pytest.mark.parametrize(
    "line",
    [
        json.dumps(["build"]),
        json.dumps({"cwd": "/w", "args": "build"}),
        json.dumps({"cwd": 3, "args": ["build"]}),
        json.dumps({"args": ["build"]}),
        json.dumps({"cwd": "/w", "args": ["build", 1]}),
        "build --select x",
    ],
)
def test_anything_else_is_refused_by_what_came(line):
    with pytest.raises(ValueError, match="expected") as caught:
        read_job(line)
    assert line[:20] in str(caught.value)


def test_a_started_dbt_collects_young_garbage_but_puts_off_full_passes():
    """After defer_full_collections, cycles are still freed by the young collections, and ~150 middle
    collections (a build's) run no full pass (CPython's default runs one every 10)."""
    import subprocess
    import sys

    code = """
import gc, weakref
from ingest.dbt_main import defer_full_collections
gc.collect()
defer_full_collections()
full_before = gc.get_stats()[2]["collections"]
middle_before = gc.get_stats()[1]["collections"]
class Node: pass
keep, probes = [], []
for i in range(300_000):
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    if i % 1000 == 0:
        probes.append(weakref.ref(a))
    if i % 3 == 0:
        keep.append(Node())  # survivors, so objects reach the older generations
stats = gc.get_stats()
print(stats[1]["collections"] - middle_before, stats[2]["collections"] - full_before,
      sum(p() is not None for p in probes[:-5]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    middle, full, alive = map(int, out)
    assert middle > 20  # the middle generation was collected many times
    assert full == 0  # and never the whole heap
    assert alive == 0  # the cycles made along the way were freed
