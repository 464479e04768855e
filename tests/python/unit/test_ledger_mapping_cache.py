"""The packaged ledger mappings are read once per process while their files are unchanged
(ingest/sources/ledger/mapping.py::packaged_mappings): every unclaimed file of every ingest is tried
against them."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.sources.ledger import mapping


def test_packaged_mappings_are_read_once_and_again_when_a_file_changes(tmp_path: Path, monkeypatch):
    shutil.copy(mapping.PACKAGED_MAPPINGS / "canonical.yaml", tmp_path / "canonical.yaml")
    monkeypatch.setattr(mapping, "PACKAGED_MAPPINGS", tmp_path)
    calls: list[Path] = []
    load = mapping.load_mapping
    monkeypatch.setattr(mapping, "load_mapping", lambda path, **kw: calls.append(path) or load(path, **kw))

    first = mapping.candidate_mappings(tmp_path / "ledger.csv")
    again = mapping.candidate_mappings(tmp_path / "other.csv")
    assert [m.name for m in first] == ["canonical"]
    assert again[0] is first[0] and len(calls) == 1  # read once

    text = (tmp_path / "canonical.yaml").read_text(encoding="utf-8")
    (tmp_path / "canonical.yaml").write_text(text.replace("\nname: canonical", "\nname: renamed"), encoding="utf-8")
    changed = mapping.candidate_mappings(tmp_path / "ledger.csv")
    assert changed[0].name == "renamed" and len(calls) == 2  # the edit is read
