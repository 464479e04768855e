"""Which link targets may be published as a URL: only absolute ``http``/``https`` addresses.

A hyperlink in a sheet can point anywhere: ``javascript:``, ``vbscript:``, ``data:``, ``file://``,
``mailto:``, a UNC path, a cell in the workbook (``#Sheet2!A1``) — also wrapped in a SafeLinks
``url=`` parameter that ``normalize_url`` unwraps. Published as ``moa_url`` such a target would run
in a BI tool or a browser that renders it as a link. The printed value and the raw link target stay
in their own columns; only the ``*_url`` column is filtered, and a target that does not pass is
listed for review (``int_review__unsafe_cells``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from ingest.sources.ice_parsing import normalize_url

SAFE_SCHEMES = ("http", "https")
# Browsers drop tabs and newlines inside a URL and leading controls/spaces (WHATWG URL parsing), so
# `java\tscript:` is `javascript:`; urlsplit does the same, and a URL we publish carries no control
# character at all.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


@lru_cache(maxsize=65536)
def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address with a plain host name, else None."""
    if not url:
        return None
    if _FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if not _HOST.match(host) or "." not in host.split(":")[0]:
        return None
    return url


# Both are pure functions of one string, and ICE prints the same few thousand targets in every sheet
# (171,427 link cells in the archive): each distinct target is checked once per process.
@lru_cache(maxsize=65536)
def published_url(target: str | None) -> str | None:
    """The URL published for a link target: unwrapped by ``normalize_url``, then ``safe_url``."""
    try:
        return safe_url(normalize_url(target))
    except ValueError:  # urlsplit refuses e.g. `http://[::1`: a value, not a broken file
        return None
