"""One test per ICE quirk in the parsing rules (SIGNED, links, publication dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

import pytest

from ingest.sources.ice_parsing import filename_date, infer_publication_date, normalize_url, parse_signed

TODAY = dt.date(2026, 11, 27)


def test_excel_date_taken_as_is():
    p = parse_signed(dt.datetime(2025, 6, 25), today=TODAY)
    assert (p.printed, p.date, p.status) == ("2025-06-25", dt.date(2025, 6, 25), "excel_date")


def test_signed_missing_separator_month_day():
    p = parse_signed("05/082025", today=TODAY)
    assert (p.printed, p.date, p.status) == ("05/082025", dt.date(2025, 5, 8), "repaired_text")


def test_signed_missing_separator_single_digits():
    p = parse_signed("7/72025", today=TODAY)
    assert (p.date, p.status) == (dt.date(2025, 7, 7), "repaired_text")


def test_signed_absurd_year_repaired_and_printed_kept():
    p = parse_signed(dt.date(5025, 7, 7), today=TODAY)
    assert (p.printed, p.date, p.status) == ("5025-07-07", dt.date(2025, 7, 7), "repaired_year")


def test_signed_iso_text_of_html_era():
    p = parse_signed("2019-04-24", today=TODAY)
    assert (p.date, p.status) == (dt.date(2019, 4, 24), "iso_text")


def test_signed_free_text_is_not_guessed():
    p = parse_signed("pending signature", today=TODAY)
    assert (p.printed, p.date, p.status) == ("pending signature", None, "unparseable")


def test_signed_blank_is_missing():
    assert parse_signed("  ", today=TODAY).status == "missing"
    assert parse_signed(None, today=TODAY).status == "missing"


def test_signed_excel_serial_number():
    p = parse_signed(45826.0, today=TODAY)
    assert (p.date, p.status) == (dt.date(2025, 6, 18), "serial_number")


def test_signed_impossible_calendar_date():
    assert parse_signed("02/302025", today=TODAY).status == "unparseable"


def test_url_safelinks_unwrapped():
    wrapped = (
        "https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fdoclib%2F287gMOA"
        "%2FX_TFM_MOA.pdf&data=05%7C02%7C&sdata=abc%3D&reserved=0"
    )
    assert normalize_url(wrapped) == "https://www.ice.gov/doclib/287gMOA/X_TFM_MOA.pdf"


def test_url_single_slash_scheme_repaired():
    assert normalize_url("https:/www.ice.gov/doclib/287gMOA/X.pdf") == "https://www.ice.gov/doclib/287gMOA/X.pdf"


def test_url_chrome_extension_prefix_stripped():
    url = "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/https:/www.ice.gov/doclib/287gMOA/X.pdf"
    assert normalize_url(url) == "https://www.ice.gov/doclib/287gMOA/X.pdf"


def test_url_wayback_capture_unwrapped():
    url = "https://web.archive.org/web/20250104041613/https://www.ice.gov/doclib/287gMOA/287gJEM_ etowahCoAL.pdf"
    assert normalize_url(url) == "https://www.ice.gov/doclib/287gMOA/287gJEM_ etowahCoAL.pdf"


def test_url_percent_twenty_kept():
    url = "https://www.ice.gov/doclib/287gMOA/Some%20County_MOA.pdf"
    assert normalize_url(url) == url


@pytest.mark.parametrize(
    ("name", "expected", "pattern"),
    [
        ("participatingAgencies03062025am.xlsx", dt.date(2025, 3, 6), "mmddyyyy"),
        ("participatingAgencies03062025pm.xlsx", dt.date(2025, 3, 6), "mmddyyyy"),
        ("participatingAgencies03062025mid.xlsx", dt.date(2025, 3, 6), "mmddyyyy"),
        ("participatingAgencies03062025pmB.xlsx", dt.date(2025, 3, 6), "mmddyyyy"),
        ("participatingAgencies04232026.xlsx", dt.date(2026, 4, 23), "mmddyyyy"),
        ("participatingAgencies-20250221214937.xlsx", dt.date(2025, 2, 21), "capture_stamp"),
        ("ParticipatingEntities-20250104041613.xlsx", dt.date(2025, 1, 4), "capture_stamp"),
        ("287gParticipatingAgencies091526pm.xlsx", dt.date(2026, 9, 15), "mmddyy"),
        ("ParticipatingAgency091826am.xlsx", dt.date(2026, 9, 18), "mmddyy"),
        ("ParticipatingAgencies08282026pm.xlsx", dt.date(2026, 8, 28), "mmddyyyy"),
        ("participatingAgencies04212026am 12.15.07 AM.xlsx", dt.date(2026, 4, 21), "mmddyyyy"),
        ('participatingAgencies05132026pm.xlsx"', dt.date(2026, 5, 13), "mmddyyyy"),
        ("participatingAgencies11114025am.xlsx", dt.date(2025, 11, 11), "mmddyyyy_typo_year"),
        ("pendingAgencies09022025pm.xlsx", dt.date(2025, 9, 2), "mmddyyyy"),
        ("README.xlsx", None, None),
    ],
)
def test_filename_date_patterns(name, expected, pattern):
    assert filename_date(name) == (expected, pattern)


def test_folder_date_wins_and_disagreement_flagged():
    pub = infer_publication_date(PurePosixPath("2025-09-02/participatingAgencies08022025pm.xlsx"), dt.date(2025, 8, 28))
    assert pub.published_date == dt.date(2025, 9, 2)
    assert pub.method == "folder"
    assert "2025-08-02" in pub.flag and "2025-08-28" in pub.flag


def test_filename_before_latest_signed_falls_back_to_latest_signed():
    pub = infer_publication_date(PurePosixPath("incoming/participatingAgencies08022025pm.xlsx"), dt.date(2025, 8, 28))
    assert (pub.published_date, pub.method) == (dt.date(2025, 8, 28), "latest_signed")
    assert pub.flag


def test_typo_year_without_folder_resolves_to_latest_signed():
    pub = infer_publication_date(PurePosixPath("x/participatingAgencies11114025am.xlsx"), dt.date(2025, 11, 14))
    assert (pub.published_date, pub.method) == (dt.date(2025, 11, 14), "latest_signed")


def test_override_wins_over_folder():
    pub = infer_publication_date(
        PurePosixPath("2025-09-02/participatingAgencies08022025pm.xlsx"),
        dt.date(2025, 8, 28),
        override=dt.date(2025, 9, 3),
    )
    assert (pub.published_date, pub.method) == (dt.date(2025, 9, 3), "override")


def test_filename_date_used_when_consistent():
    pub = infer_publication_date(PurePosixPath("x/participatingAgencies03062025am.xlsx"), dt.date(2025, 3, 5))
    assert (pub.published_date, pub.method, pub.flag) == (dt.date(2025, 3, 6), "filename", None)
