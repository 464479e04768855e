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
