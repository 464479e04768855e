"""Rules that read ICE's printed values: SIGNED dates, MOA/ADDENDUM links (publication dates: ``ice_dates``).

Each rule keeps the printed value and adds a parsed one with a status, so every repair is visible.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import parse_qs, unquote, urlsplit

from ingest.sources.ice_dates import PublicationDate, decide, read_name

# Signing dates outside these bounds are not defensible as printed.
MIN_SIGNED = dt.date(1996, 9, 30)  # section 287(g) enacted by IIRIRA, 1996-09-30
MAX_SIGNED_YEAR_AHEAD = 1


@dataclass(frozen=True)
class SignedParse:
    """SIGNED as printed, the date we read from it and how (``status``)."""

    printed: str | None
    date: dt.date | None
    status: str  # excel_date | iso_text | repaired_text | repaired_year | serial_number | missing | unparseable


def _plausible(d: dt.date, today: dt.date) -> bool:
    return MIN_SIGNED <= d <= dt.date(today.year + MAX_SIGNED_YEAR_AHEAD, 12, 31)


def parse_signed(value: object, *, today: dt.date | None = None) -> SignedParse:
    """Read a SIGNED cell.

    Excel dates are taken as they are; text is read as ISO (``2025-05-08``), US (``5/8/2025``), or with
    a lost separator (``05/082025``, ``7/72025``); a year off by whole millennia (``5025-07-07``) is
    repaired to the nearest plausible year. What cannot be read defensibly gets ``date=None``.
    """
    today = today or dt.date.today()
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return SignedParse(None, None, "missing")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        printed = value.isoformat()
        if _plausible(value, today):
            return SignedParse(printed, value, "excel_date")
        return _repair_year(printed, value, today)
    if isinstance(value, int | float) and not isinstance(value, bool):
        printed = str(int(value)) if float(value).is_integer() else repr(value)
        try:
            d = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        except OverflowError:
            return SignedParse(printed, None, "unparseable")
        return (
            SignedParse(printed, d, "serial_number")
            if _plausible(d, today)
            else SignedParse(printed, None, "unparseable")
        )
    printed = str(value)
    text = printed.strip()
    d = _parse_text_date(text)
    if d is not None:
        status = "iso_text" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else "text_date"
        if _plausible(d, today):
            return SignedParse(printed, d, status)
        return _repair_year(printed, d, today)
    d = _repair_text_date(text)
    if d is not None and _plausible(d, today):
        return SignedParse(printed, d, "repaired_text")
    return SignedParse(printed, None, "unparseable")


def _repair_year(printed: str, d: dt.date, today: dt.date) -> SignedParse:
    """5025-07-07 -> 2025-07-07: a year wrong only in its thousands digit."""
    for year in (2000 + d.year % 1000, 1000 + d.year % 1000):
        try:
            cand = d.replace(year=year)
        except ValueError:
            continue
        if _plausible(cand, today):
            return SignedParse(printed, cand, "repaired_year")
    return SignedParse(printed, None, "unparseable")


def _parse_text_date(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})", text)
    if m:
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        return _safe_date(year, int(m.group(1)), int(m.group(2)))
    return None


def _repair_text_date(text: str) -> dt.date | None:
    """A US date whose second separator was lost: ``05/082025``, ``7/72025``."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(\d{4})", text)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- links -------------------------------------------------------------------------------------

_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(.+)$", re.I)
_CHROME_EXT = re.compile(r"^chrome-extension://[a-z]+/(.+)$", re.I)
_SINGLE_SLASH = re.compile(r"^(https?):/(?!/)", re.I)
_SAFELINKS = "safelinks.protection.outlook.com"
_URL_LIKE = re.compile(r"^\s*(https?:/|www\.|chrome-extension://)", re.I)


def looks_like_url(text: str | None) -> bool:
    """True when a cell's display text is itself an address (MOA printed as a bare URL)."""
    return bool(text) and bool(_URL_LIKE.match(text))


@lru_cache(maxsize=65536)
def normalize_url(target: str | None) -> str | None:
    """The document address behind a printed link target.

    Unwraps Outlook SafeLinks (``url=`` parameter), ``chrome-extension://<id>/`` prefixes and Wayback
    captures, and repairs a single-slash scheme (``https:/www``). Returns None for empty input.
    """
    if target is None:
        return None
    url = target.strip()
    if not url:
        return None
    for _ in range(4):  # wrappers can nest (SafeLinks around a chrome-extension link)
        before = url
        if _SAFELINKS in url.lower():  # split only a URL that can be a SafeLinks wrapper
            parts = urlsplit(url)
            if parts.netloc.lower().endswith(_SAFELINKS):
                inner = parse_qs(parts.query).get("url")
                if inner:
                    url = unquote(inner[0]) if "%2F" in inner[0].upper() else inner[0]
        m = _CHROME_EXT.match(url)
        if m:
            url = m.group(1)
        m = _WAYBACK.match(url)
        if m:
            url = m.group(1)
        url = _SINGLE_SLASH.sub(r"\1://", url)
        if url.lower().startswith("www."):
            url = "https://" + url
        if url == before:
            break
    return url


# --- publication dates: see ingest.sources.ice_dates (one rule over every name of a file) -------


def filename_date(name: str) -> tuple[dt.date | None, str | None]:
    """Date in an ICE file name and the pattern that gave it (``ice_dates.read_name``)."""
    nd = read_name(name)
    return nd.date, nd.pattern


def infer_publication_date(
    path: PurePath, latest_signed: dt.date | None, *, override: dt.date | None = None
) -> PublicationDate:
    """A sheet's publication date from one path (``ice_dates.decide``; the pipeline re-decides over all names)."""
    return decide([path], latest_signed, override=override)
