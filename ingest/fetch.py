"""``ice287g fetch``: download the official raw files into a folder that ``build`` can read.

Downloads go to a temporary name and are renamed into place only when complete. Without a network the
command says which address it could not reach and exits 1; nothing half-written is left behind.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path, PurePosixPath

import yaml
from rich.console import Console

TIMEOUT_S = 30
USER_AGENT = "ice287g-warehouse (+https://github.com/) python-urllib"


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def load_sources() -> list[dict]:
    """The fetch list shipped with the package."""
    text = resources.files("ingest").joinpath("fetch_sources.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _get(url: str) -> tuple[bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
        return resp.read(), dict(resp.headers)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _safe_extract(data: bytes, dest: Path, tmp_name: Path) -> list[Path]:
    _write_atomic(tmp_name, data)
    out = []
    with zipfile.ZipFile(tmp_name) as zf:
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"unsafe member path {info.filename!r}")
            target = dest / name.name
            _write_atomic(target, zf.read(info))
            out.append(target)
    tmp_name.unlink()
    return out


def fetch(dest: Path, *, console: Console, err_console: Console) -> int:
    """Download every source in the fetch list under dest. Returns an exit code."""
    today = dt.date.today().isoformat()
    failures = 0
    for src in load_sources():
        url = src["url"]
        try:
            data, _headers = _get(url)
            if src["kind"] == "file":
                _write_atomic(dest / src["dest"], data)
                console.print(f"fetched {src['name']} -> {dest / src['dest']}")
            elif src["kind"] == "zip":
                target = dest / src["dest"]
                files = _safe_extract(data, target, target / f".{src['name']}.zip.part")
                console.print(f"fetched {src['name']} -> {', '.join(str(f) for f in files)}")
            elif src["kind"] == "ice_page":
                parser = _LinkParser()
                parser.feed(data.decode("utf-8", "replace"))
                wanted = [
                    (h, t)
                    for h, t in parser.links
                    if re.search(r"(?i)participating|pending", t + h) and "download" in h
                ]
                if not wanted:
                    raise ValueError("no participating/pending download links found on the page")
                for href, text in wanted:
                    link = urllib.parse.urljoin(url, href)
                    body, hdrs = _get(link)
                    disp = hdrs.get("Content-Disposition", "")
                    m = re.search(r'filename="?([^";]+)', disp)
                    name = m.group(1) if m else re.sub(r"\W+", "_", text) + ".xlsx"
                    target = dest / src["dest"] / today / Path(name).name
                    _write_atomic(target, body)
                    console.print(f"fetched {text or href} -> {target}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            failures += 1
            host = urllib.parse.urlsplit(url).netloc
            err_console.print(
                f"[red]cannot fetch {src['name']}[/]: {host} is unreachable ({exc}). "
                "Are you offline? Nothing was written for this source."
            )
        except (ValueError, zipfile.BadZipFile) as exc:
            failures += 1
            err_console.print(f"[red]cannot fetch {src['name']}[/] from {url}: {exc}")
    return 1 if failures else 0
