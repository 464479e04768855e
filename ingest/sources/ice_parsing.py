"""Rules that read ICE's printed values: SIGNED dates, MOA/ADDENDUM links, publication dates.

Each rule keeps the printed value and adds a parsed one with a status, so every repair is visible.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import parse_qs, unquote, urlsplit

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
        parts = urlsplit(url)
        if parts.netloc.lower().endswith("safelinks.protection.outlook.com"):
            inner = parse_qs(parts.query).get("url")
            if inner:
                url = unquote(inner[0]) if "%2F" in inner[0].upper() else inner[0]
        m = _CHROME_EXT.match(url)
        if m:
            url = m.group(1)
        m = _WAYBACK.match(url)
        if m:
            url = m.group(1)
        url = re.sub(r"^(https?):/(?!/)", r"\1://", url, flags=re.I)
        if url.lower().startswith("www."):
            url = "https://" + url
        if url == before:
            break
    return url


# --- publication dates -------------------------------------------------------------------------

_FOLDER_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NAME_DIGITS = re.compile(r"(?i)(participating|pending)[a-z]*[ _-]*(\d{6,14})")


@dataclass(frozen=True)
class PublicationDate:
    """When a sheet was published, how we know (``method``) and any disagreement (``flag``)."""

    published_date: dt.date | None
    method: str  # override | folder | filename | capture_stamp | latest_signed | unknown
    filename_date: dt.date | None
    filename_pattern: str | None
    flag: str | None


def filename_date(name: str) -> tuple[dt.date | None, str | None]:
    """Date in an ICE file name and the pattern that gave it.

    ``participatingAgencies03062025am.xlsx`` (MMDDYYYY), ``287gParticipatingAgencies091526pm.xlsx``
    (MMDDYY), ``participatingAgencies-20250221214937.xlsx`` (capture stamp), with suffixes am/pm/mid/pmB,
    spaces or quotes after. A year wrong in its thousands digit (``11114025``) is read with ``typo_year``.
    """
    m = _NAME_DIGITS.search(name)
    if not m:
        return None, None
    digits = m.group(2)
    if len(digits) == 14:
        d = _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        return d, "capture_stamp" if d else None
    if len(digits) == 8:
        month, day, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        d = _safe_date(year, month, day)
        if d and 2000 <= year <= 2099:
            return d, "mmddyyyy"
        fixed = _safe_date(2000 + year % 1000, month, day) if 2000 + year % 1000 < 2100 else None
        return (fixed, "mmddyyyy_typo_year") if fixed else (None, None)
    if len(digits) == 6:
        d = _safe_date(2000 + int(digits[4:]), int(digits[:2]), int(digits[2:4]))
        return (d, "mmddyy") if d else (None, None)
    return None, None


def infer_publication_date(
    path: PurePath,
    latest_signed: dt.date | None,
    *,
    override: dt.date | None = None,
    grace_days: int = 0,
) -> PublicationDate:
    """Decide a sheet's publication date.

    Order: an explicit override; the containing folder named ``YYYY-MM-DD``; the date in ICE's file
    name; else the latest SIGNED date in the file. The file-name date is cross-checked against the
    latest SIGNED date: a sheet cannot list agreements signed after it was published, so when it does
    the file-name date is flagged and the latest SIGNED date (a lower bound) is used instead.
    """
    fdate, pattern = filename_date(path.name)
    flag = None
    if fdate and latest_signed and latest_signed > fdate + dt.timedelta(days=grace_days):
        flag = f"filename date {fdate.isoformat()} is before the latest SIGNED date {latest_signed.isoformat()}"
    if override:
        return PublicationDate(override, "override", fdate, pattern, flag)
    m = _FOLDER_DATE.match(path.parent.name)
    if m:
        folder = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if folder:
            if latest_signed and latest_signed > folder:
                flag = f"folder date {folder.isoformat()} is before the latest SIGNED date {latest_signed}"
            return PublicationDate(folder, "folder", fdate, pattern, flag)
    if fdate and not flag:
        method = "capture_stamp" if pattern == "capture_stamp" else "filename"
        return PublicationDate(fdate, method, fdate, pattern, flag)
    if latest_signed:
        return PublicationDate(latest_signed, "latest_signed", fdate, pattern, flag)
    return PublicationDate(fdate, "filename" if fdate else "unknown", fdate, pattern, flag)
