"""When was an ICE sheet published? One rule over every name its bytes arrived under.

ICE overwrites one spreadsheet and names each version by hand (``participatingAgencies03062025am.xlsx``);
monitors save captures with a stamp (``participatingAgencies-20250221214937.xlsx``). Names carry
mistakes: the old year kept in January, a digit too many, a date before agreements the sheet lists.
The same bytes often arrive under several names and folders. The rule, in order:

1. an explicit override (``publication_dates.csv``, by sha256 or file name): method ``override``;
2. a ``YYYY-MM-DD`` folder the file sits in (the earliest the sheet's latest SIGNED allows, else the
   earliest): method ``folder``;
3. the earliest file-name date that the sheet's latest SIGNED date allows (a sheet cannot list an
   agreement signed after it was published). A name's date is read as printed (``filename`` /
   ``capture_stamp``); when that is before the latest SIGNED date, the same day a year later is taken
   if that is consistent — on or after the latest SIGNED date, within ``ROLLOVER_MAX_DAYS`` of it and
   not in the future (``filename_year_rolled``: ICE kept last year in January); a name whose digit
   count is wrong (``090022025am``: nine digits) is repaired by the one-digit deletion (or leading-zero
   insertion) that gives a valid date the latest SIGNED allows (``filename_digits_repaired``);
4. a pending sheet published with a participating sheet of the same name stamp
   (``pendingAgencies01052025pm`` beside ``participatingAgencies01052025pm``) takes the reading of that
   name when the participating sheet's SIGNED dates corrected it (year rolled, digits repaired): a
   pending sheet prints no SIGNED to check its own name against: ``participating_twin``;
5. else the latest SIGNED date (a lower bound): ``latest_signed``; else ``unknown``.

Every decision that disagrees with a name or folder carries a ``flag`` (kept in ``dim_publications``).

Within a day, ``published_at`` orders versions: a capture stamp's own time; for ICE's names
``am`` 09:00, ``mid`` 12:00, ``pm`` 17:00, no suffix 12:00, and any variant after the suffix (``amB``,
``pm_b``, ``pm copy``, ``pm2``) one minute after its base. Times are a convention for order only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath

ROLLOVER_MAX_DAYS = 120
SUFFIX_TIMES = {"am": dt.time(9, 0), "mid": dt.time(12, 0), "pm": dt.time(17, 0)}
NO_SUFFIX_TIME = dt.time(12, 0)

_FOLDER_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NAME_DIGITS = re.compile(r"(?i)(participating|pending)[a-z]*[ _-]*(\d{6,14})(.*)$")
_SUFFIX = re.compile(r"(?i)^[\s_-]*(am|mid|pm)?(.*)$")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class NameDate:
    """What one file name says: a date (as printed, or repaired), the pattern, a time for ordering."""

    date: dt.date | None
    pattern: str | None  # capture_stamp | mmddyyyy | mmddyyyy_typo_year | mmddyy | digits_repaired
    time: dt.time
    stamp_key: str | None  # digits + suffix, shared by the participating and pending sheet of one release
    candidates: tuple[dt.date, ...] = ()  # digit repairs: every valid reading, earliest first


def _mmddyyyy(digits: str) -> tuple[dt.date | None, str | None]:
    month, day, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    d = _safe_date(year, month, day)
    if d and 2000 <= year <= 2099:
        return d, "mmddyyyy"
    if 2000 + year % 1000 < 2100:
        fixed = _safe_date(2000 + year % 1000, month, day)
        if fixed:
            return fixed, "mmddyyyy_typo_year"
    return None, None


def _suffix_time(rest: str) -> dt.time:
    stem = rest[: rest.rfind(".")] if "." in rest else rest
    m = _SUFFIX.match(stem)
    base = SUFFIX_TIMES.get((m.group(1) or "").lower(), NO_SUFFIX_TIME) if m else NO_SUFFIX_TIME
    leftover = (m.group(2) if m else stem).strip(" \"'")
    if leftover:
        return (dt.datetime.combine(dt.date(2000, 1, 1), base) + dt.timedelta(minutes=1)).time()
    return base


def read_name(name: str) -> NameDate:
    """The date, pattern and ordering time in one file name (no judgement against the content)."""
    m = _NAME_DIGITS.search(name)
    if not m:
        return NameDate(None, None, NO_SUFFIX_TIME, None)
    digits, rest = m.group(2), m.group(3)
    stem_rest = rest[: rest.rfind(".")] if "." in rest else rest
    key = (digits + stem_rest.strip(" \"'")).lower()
    if len(digits) == 14:
        d = _safe_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        h, mi, s = int(digits[8:10]), int(digits[10:12]), int(digits[12:14])
        t = dt.time(h, mi, s) if h < 24 and mi < 60 and s < 60 else NO_SUFFIX_TIME
        return NameDate(d, "capture_stamp" if d else None, t, key)
    t = _suffix_time(rest)
    if len(digits) == 8:
        d, pattern = _mmddyyyy(digits)
        return NameDate(d, pattern, t, key)
    if len(digits) == 6:
        d = _safe_date(2000 + int(digits[4:]), int(digits[:2]), int(digits[2:4]))
        return NameDate(d, "mmddyy" if d else None, t, key)
    # a mistyped digit count: every 8-digit reading one edit away (delete a digit, or add a leading 0)
    readings = set()
    if len(digits) == 9:
        readings = {digits[:i] + digits[i + 1 :] for i in range(9)}
    elif len(digits) == 7:
        readings = {"0" + digits, digits[:2] + "0" + digits[2:]}
    dates = sorted({d for r in readings if (d := _mmddyyyy(r)[0]) and _mmddyyyy(r)[1] == "mmddyyyy"})
    if dates:
        return NameDate(dates[0], "digits_repaired", t, key, tuple(dates))
    return NameDate(None, None, t, key)


@dataclass(frozen=True)
class PublicationDate:
    """When a sheet was published, how we know (``method``) and any disagreement (``flag``)."""

    published_date: dt.date | None
    published_at: dt.datetime | None
    method: str  # override | folder | filename | capture_stamp | filename_year_rolled | ... | unknown
    filename_date: dt.date | None
    filename_pattern: str | None
    flag: str | None
    stamp_key: str | None = None


def folder_date(path: PurePath) -> dt.date | None:
    m = _FOLDER_DATE.match(path.parent.name)
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _allowed(d: dt.date | None, latest_signed: dt.date | None) -> bool:
    return d is not None and (latest_signed is None or d >= latest_signed)


def _name_choice(nd: NameDate, latest: dt.date | None, today: dt.date) -> tuple[dt.date, str] | None:
    """The date a name gives once checked against the latest SIGNED date, and the method; None if none fits."""
    if nd.pattern == "digits_repaired":
        fits = [d for d in nd.candidates if _allowed(d, latest)]
        return (fits[0], "filename_digits_repaired") if fits else None
    if nd.date is None:
        return None
    method = "capture_stamp" if nd.pattern == "capture_stamp" else "filename"
    if _allowed(nd.date, latest):
        return nd.date, method
    rolled = _safe_date(nd.date.year + 1, nd.date.month, nd.date.day)
    if (
        rolled is not None
        and latest is not None
        and latest <= rolled <= min(latest + dt.timedelta(days=ROLLOVER_MAX_DAYS), today)
    ):
        return rolled, "filename_year_rolled"
    return None


def read_name_against(name: str, latest_signed: dt.date | None, today: dt.date | None = None) -> PublicationDate | None:
    """What one name means once checked against its sheet's latest SIGNED date (None: it cannot be right).

    Used to give a pending sheet the reading of its participating twin's name (same stamp key).
    """
    nd = read_name(name)
    choice = _name_choice(nd, latest_signed, today or dt.date.today())
    if choice is None:
        return None
    return PublicationDate(
        choice[0], dt.datetime.combine(choice[0], nd.time), choice[1], nd.date, nd.pattern, None, nd.stamp_key
    )


def decide(
    paths: list[PurePath],
    latest_signed: dt.date | None,
    *,
    override: dt.date | None = None,
    twin: PublicationDate | None = None,
    today: dt.date | None = None,
) -> PublicationDate:
    """Decide one sheet's publication date from every path its bytes arrived under (see module doc)."""
    today = today or dt.date.today()
    paths = sorted(paths, key=lambda p: (p.name, p.as_posix()))
    names = [(p, read_name(p.name)) for p in paths]
    dated = [(p, nd) for p, nd in names if nd.date is not None]
    # the name reported as "the" file-name date: the earliest one, as read
    first = min(dated, key=lambda x: (x[1].date, x[0].name)) if dated else (paths[0], names[0][1])
    fdate, fpattern, ftime, fkey = first[1].date, first[1].pattern, first[1].time, first[1].stamp_key

    def at(d: dt.date | None, t: dt.time = ftime) -> dt.datetime | None:
        return dt.datetime.combine(d, t) if d else None

    def pub(d, method, flag, t=ftime, key=fkey):
        return PublicationDate(d, at(d, t), method, fdate, fpattern, flag, key)

    name_flag = None
    if fdate and latest_signed and latest_signed > fdate:
        name_flag = f"filename date {fdate.isoformat()} is before the latest SIGNED date {latest_signed.isoformat()}"
    if override:
        return pub(override, "override", name_flag)
    folders = sorted({d for p in paths if (d := folder_date(p))})
    if folders:
        fits = [d for d in folders if _allowed(d, latest_signed)]
        chosen = fits[0] if fits else folders[0]
        flag = name_flag
        if not fits:
            flag = f"folder date {chosen.isoformat()} is before the latest SIGNED date {latest_signed}"
        return pub(chosen, "folder", flag)
    choices = []
    for p, nd in names:
        c = _name_choice(nd, latest_signed, today)
        if c is not None:
            choices.append((c[0], c[1], nd.time, nd.stamp_key, p.name))
    best = min(choices, key=lambda c: (c[0], c[4])) if choices else None
    twin_date = twin.published_date if twin is not None and latest_signed is None else None
    if twin_date is not None and (best is None or best[0] != twin_date):
        t = twin.published_at.time() if twin.published_at else ftime
        return pub(twin_date, "participating_twin", twin.flag, t, twin.stamp_key)
    if best is not None:
        d, method, t, key, _ = best
        flag = None
        if method == "filename_year_rolled":
            flag = f"filename date {fdate} is before the latest SIGNED date {latest_signed}; read as the next year"
        elif method == "filename_digits_repaired":
            flag = f"file name has a mistyped digit count; read as {d.isoformat()}"
        elif name_flag and d != fdate:
            flag = name_flag
        return pub(d, method, flag, t, key)
    if latest_signed:
        return pub(latest_signed, "latest_signed", name_flag or "no file-name date fits the latest SIGNED date")
    return pub(fdate, "filename" if fdate else "unknown", None)
