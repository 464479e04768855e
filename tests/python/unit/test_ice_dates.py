"""Publication dating over every name of a file (ingest/sources/ice_dates.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath as P

import pytest

from ingest.sources.ice_dates import ROLLOVER_MAX_DAYS, decide, read_name, read_name_against

D = dt.date


@pytest.mark.parametrize(
    ("name", "time"),
    [
        ("participatingAgencies03062025am.xlsx", dt.time(9, 0)),
        ("participatingAgencies03062025mid.xlsx", dt.time(12, 0)),
        ("participatingAgencies03062025pm.xlsx", dt.time(17, 0)),
        ("participatingAgencies03062025.xlsx", dt.time(12, 0)),
        ("participatingAgencies03062025amB.xlsx", dt.time(9, 1)),
        ("participatingAgencies03062025pm_b.xlsx", dt.time(17, 1)),
        ("pendingAgencies03062025pm copy.xlsx", dt.time(17, 1)),
        ("pendingAgencies03062025pm2.xlsx", dt.time(17, 1)),
        ("ParticipatingEntities-20240102122914.xlsx", dt.time(12, 29, 14)),
    ],
)
def test_time_of_day_convention_orders_versions_within_a_day(name, time):
    assert read_name(name).time == time


def test_variants_sort_after_their_base_and_before_the_next_version():
    names = [
        "x/participatingAgencies07242025pm_b.xlsx",
        "x/participatingAgencies07242025am.xlsx",
        "x/participatingAgencies07242025pm.xlsx",
        "x/participatingAgencies07242025mid.xlsx",
    ]
    order = sorted(names, key=lambda n: decide([P(n)], None).published_at)
    assert [n.rsplit("25", 1)[1] for n in order] == ["am.xlsx", "mid.xlsx", "pm.xlsx", "pm_b.xlsx"]


@pytest.mark.parametrize(
    ("name", "latest", "expected"),
    [
        # ICE kept last year's date in January: the next year is consistent with what the sheet lists
        ("participatingAgencies01092025pm.xlsx", D(2026, 1, 8), D(2026, 1, 9)),
        ("participatingAgencies01022026am.xlsx", D(2026, 12, 30), D(2027, 1, 2)),
        ("287gParticipatingAgencies010326pm.xlsx", D(2026, 12, 20), D(2027, 1, 3)),
    ],
)
def test_year_rolled_over_when_consistent(name, latest, expected):
    pub = decide([P("a") / name], latest, today=D(2027, 6, 1))
    assert (pub.published_date, pub.method) == (expected, "filename_year_rolled")
    assert pub.flag


def test_year_not_rolled_when_the_next_year_is_too_far_or_in_the_future():
    # a name months before the latest SIGNED is not a rollover: the next year would be far after it
    pub = decide([P("a/participatingAgencies06012025pm.xlsx")], D(2025, 7, 15), today=D(2027, 1, 1))
    assert pub.method == "latest_signed"
    assert D(2026, 6, 1) - D(2025, 7, 15) > dt.timedelta(days=ROLLOVER_MAX_DAYS)
    # the rolled date may not be in the future
    pub = decide([P("a/participatingAgencies01092025pm.xlsx")], D(2026, 1, 8), today=D(2026, 1, 8))
    assert pub.method == "latest_signed"


@pytest.mark.parametrize(
    ("name", "latest", "expected"),
    [
        ("participatingAgencies090022025am.xlsx", D(2025, 8, 30), D(2025, 9, 2)),  # nine digits, a stray 0
        ("participatingAgencies100152025pm.xlsx", D(2025, 10, 10), D(2025, 10, 15)),
        ("participatingAgencies9022025am.xlsx", D(2025, 8, 30), D(2025, 9, 2)),  # seven digits, lost 0
    ],
)
def test_mistyped_digit_count_repaired_to_a_date_signed_allows(name, latest, expected):
    pub = decide([P("a") / name], latest)
    assert (pub.published_date, pub.method) == (expected, "filename_digits_repaired")


def test_digit_repair_never_picks_a_date_before_the_latest_signed():
    pub = decide([P("a/participatingAgencies090022025am.xlsx")], D(2025, 9, 10))
    assert pub.method == "latest_signed" and pub.published_date == D(2025, 9, 10)


def test_same_bytes_under_several_names_take_the_earliest_name_the_sheet_allows():
    paths = [
        P("x/participatingAgencies08262025am.xlsx"),
        P("x/participatingAgencies08192025pm.xlsx"),
        P("x/participatingAgencies08152025am.xlsx"),
    ]
    pub = decide(paths, D(2025, 8, 18))  # 08-15 is before an agreement the sheet lists
    assert (pub.published_date, pub.method) == (D(2025, 8, 19), "filename")
    assert pub.published_at == dt.datetime(2025, 8, 19, 17, 0)


def test_order_of_the_rule_override_then_folder_then_name():
    paths = [P("2025-09-02/participatingAgencies08022025pm.xlsx"), P("y/participatingAgencies08282025pm.xlsx")]
    assert decide(paths, D(2025, 8, 28)).method == "folder"
    assert decide(paths, D(2025, 8, 28), override=D(2025, 9, 3)).published_date == D(2025, 9, 3)
    assert decide(paths[1:], D(2025, 8, 28)).published_date == D(2025, 8, 28)
    # of several folders, the earliest the sheet allows
    folders = [P("2025-08-01/s.xlsx"), P("2025-09-05/s.xlsx"), P("2025-09-03/s.xlsx")]
    assert decide(folders, D(2025, 9, 2)).published_date == D(2025, 9, 3)


def test_pending_sheet_takes_the_corrected_reading_of_its_participating_twin():
    twin = read_name_against("participatingAgencies01052025pm.xlsx", D(2025, 12, 18), today=D(2026, 6, 1))
    assert twin is not None and twin.method == "filename_year_rolled"
    pub = decide([P("x/pendingAgencies01052025pm.xlsx")], None, twin=twin)
    assert (pub.published_date, pub.method) == (D(2026, 1, 5), "participating_twin")
    # a twin read as printed changes nothing
    plain = read_name_against("participatingAgencies03062025am.xlsx", D(2025, 3, 1))
    assert decide([P("x/pendingAgencies03062025am.xlsx")], None, twin=plain).method == "filename"
