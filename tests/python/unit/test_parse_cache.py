"""A warehouse's dbt parse made by another checkout is not reused (dbt would keep that checkout's paths)."""

from __future__ import annotations

from pathlib import Path

from ingest.project import PARSE_CACHE, PARSE_ROOT, _forget_foreign_parse, project_dir


def _target(tmp_path: Path, root: str | None) -> Path:
    target = tmp_path / "dbt_target"
    target.mkdir()
    (target / PARSE_CACHE).write_bytes(b"parse")
    if root is not None:
        (target / PARSE_ROOT).write_text(root, encoding="utf-8")
    return target


def test_a_parse_of_this_checkout_is_kept(tmp_path):
    target = _target(tmp_path, str(project_dir()))
    _forget_foreign_parse(target)
    assert (target / PARSE_CACHE).exists()


def test_a_parse_of_another_checkout_or_of_unknown_origin_is_dropped(tmp_path):
    for i, root in enumerate(["/elsewhere/checkout", None]):
        (tmp_path / str(i)).mkdir()
        target = _target(tmp_path / str(i), root)
        _forget_foreign_parse(target)
        assert not (target / PARSE_CACHE).exists()
