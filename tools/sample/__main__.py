"""``python -m tools.sample [DEST]`` -- write the SYNTHETIC sample files (default data/sample)."""

from __future__ import annotations

import sys
from pathlib import Path

from . import generate


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dest = Path(args[0]) if args else Path("data/sample")
    for path in generate(dest):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
