"""SYNTHETIC ICE payments ledger (payouts to 287(g) agencies) in the canonical ledger layout.

No public ledger exists; every line here is invented. Payees are derived from the ICE sample
scenario (``tools.sample.ice_sheets.AGREEMENTS``) so the ledger and the sheets agree, and amounts
follow the incentive schedule (seeds/payments/incentive_schedule.csv): a one-time $100,000 vehicle,
$7,500 equipment per certified task force officer, salary & benefits, overtime up to 25% of salary,
quarterly performance awards of $1,000 / $750 / $500 per task force officer.

The scenario is Python data (``LINES``: one :class:`LedgerLine` per printed line, with the truth a
test needs: the agreement key of the payee, whether the line should parse, and tags naming the
deliberate cases). ``write_ledger(dest)`` writes ``dest/ledger/<LEDGER_FILE>``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingest.sources.ledger import FIELDS, load_mapping
from ingest.sources.ledger.mapping import PACKAGED_MAPPINGS

from . import ice_sheets as S

LEDGER_DIR = "ledger"
LEDGER_FILE = "ice_287g_payments_ledger_fy2025_fy2026.csv"
# The canonical ledger header: the packaged canonical mapping's printed column for each field, in order.
HEADER = tuple(load_mapping(PACKAGED_MAPPINGS / "canonical.yaml").columns[f] for f in FIELDS)
STATE_CODES = {
    "CONNECTICUT": "CT",
    "FLORIDA": "FL",
    "LOUISIANA": "LA",
    "NEW HAMPSHIRE": "NH",
    "PENNSYLVANIA": "PA",
    "TENNESSEE": "TN",
    "TEXAS": "TX",
    "VIRGINIA": "VA",
    "WEST VIRGINIA": "WV",
    "WYOMING": "WY",
}
PROGRAM_START = dt.date(2025, 10, 1)  # DHS 2025-09-02: reimbursements from FY2026
LEDGER_END = dt.date(2026, 3, 31)
VEHICLE_USD = Decimal("100000")
EQUIPMENT_PER_OFFICER_USD = Decimal("7500")
AWARD_TIERS_USD = (Decimal("1000"), Decimal("750"), Decimal("500"))
QUARTER_SALARY_PER_OFFICER_USD = Decimal("17500")
# officers credentialed per agency where public reporting gives a figure (NYT 2026-06-12); else derived
REPORTED_OFFICERS = {"WY-LARAMIE-TFM": 30, "NH-COLEBROOK-TFM": 3}
# agencies whose officers work immigration full time (salary, overtime and awards reimbursed)
FULL_TIME_KEYS = ("TX-POLK-TFM", "TX-KINNEY-TFM", "TN-SEVIER-TFM", "FL-FHP-TFM", "FL-PALMBAY-TFM")
OVERTIME_SHARE = {"TX-POLK-TFM": Decimal("0.30")}  # default 0.20; Polk exceeds the 25% cap
# printed payee spellings that differ from ICE's sheet
PRINTED_NAMES = {
    "NH-COLEBROOK-TFM": "Colebrook Police Dept.",
    "WY-LARAMIE-TFM": "LARAMIE COUNTY SHERIFF\u2019S OFFICE",  # exact after normalisation (case, apostrophe)
    "TX-KINNEY-TFM": "Kinney Cnty Sheriff's Ofice",  # fuzzy
    "WY-CAMPBELL-TFM": "Campbell Co. S.O.",  # only the reviewed alias in seeds/payments/payee_aliases.csv
}
PRINTED_STATES = {"TN-SEVIER-TFM": "Tennessee"}  # full state name instead of the USPS code
UNMATCHED_PAYEE = ("Lake Harbor Police Department", "FL")


@dataclass(frozen=True)
class LedgerLine:
    """One printed ledger line and the truth behind it."""

    payee_name: str
    state: str
    payment_date: str
    fiscal_year: str
    category: str
    amount_usd: str
    certified_officer_count: str
    document_id: str
    description: str
    agreement_key: str | None  # the payee's agreement in the ICE scenario; None = matches no agency
    true_category: str
    true_amount: Decimal | None  # None when the line must be rejected
    true_date: dt.date | None
    tags: tuple[str, ...] = ()

    @property
    def should_parse(self) -> bool:
        return self.true_amount is not None and self.true_date is not None

    def cells(self) -> list[str]:
        return [getattr(self, h) for h in HEADER]


def _money(value: Decimal) -> str:
    """US style with $ and thousands separators; negatives in parentheses (accounting style)."""
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else f"${text}"


def _fy(day: dt.date) -> int:
    """Federal fiscal year: October starts the next year's FY."""
    return day.year + 1 if day.month >= 10 else day.year


def _serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)


def _officers(key: str) -> int:
    if key in REPORTED_OFFICERS:
        return REPORTED_OFFICERS[key]
    return 2 + int(hashlib.sha256(key.encode()).hexdigest(), 16) % 9


def _tier(key: str) -> Decimal:
    return AWARD_TIERS_USD[int(hashlib.sha256(("award" + key).encode()).hexdigest(), 16) % 3]


def eligible_agreements() -> list[S.Agreement]:
    """Task Force Model agreements in the ICE scenario, signed before the ledger ends and not removed."""
    return [
        a
        for a in S.AGREEMENTS
        if a.support == S.TFM
        and a.signed is not None
        and a.signed <= LEDGER_END - dt.timedelta(days=30)
        and a.removed_after is None
    ]


class _Builder:
    def __init__(self) -> None:
        self.lines: list[LedgerLine] = []

    def add(
        self,
        key: str | None,
        payee: str,
        state: str,
        day: dt.date | None,
        category: str,
        amount: Decimal | None,
        officers: int | None = None,
        description: str = "",
        *,
        printed_date: str | None = None,
        printed_category: str | None = None,
        printed_amount: str | None = None,
        printed_fy: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        n = len(self.lines) + 1
        fy = _fy(day) if day else 2026
        self.lines.append(
            LedgerLine(
                payee_name=payee,
                state=state,
                payment_date=printed_date if printed_date is not None else (day.isoformat() if day else ""),
                fiscal_year=printed_fy if printed_fy is not None else f"FY{fy}",
                category=printed_category if printed_category is not None else category,
                amount_usd=printed_amount
                if printed_amount is not None
                else (_money(amount) if amount is not None else ""),
                certified_officer_count="" if officers is None else str(officers),
                document_id=f"SYN-287G-FY{fy}-{n:05d}",
                description=description,
                agreement_key=key,
                true_category=category,
                true_amount=amount if printed_amount is None or amount is not None else None,
                true_date=day,
                tags=tags,
            )
        )


def _build() -> tuple[LedgerLine, ...]:
    b = _Builder()
    by_key = S.AGREEMENT_BY_KEY
    # one payment to an agency before its (JEM) agreement was removed, and one after
    hernando = by_key["FL-HERNANDO-JEM"]
    b.add(
        hernando.key,
        hernando.final_agency,
        "FL",
        dt.date(2025, 7, 15),
        "other",
        Decimal("12480.00"),
        None,
        "JEM detention transport reimbursement",
        printed_category="Transport reimbursement",
        printed_fy="2025",
        tags=("agreement_later_removed",),
    )
    for a in eligible_agreements():
        n = _officers(a.key)
        payee = PRINTED_NAMES.get(a.key, a.final_agency)
        state = PRINTED_STATES.get(a.key, STATE_CODES[a.state])
        tags = ("spelling_differs",) if a.key in PRINTED_NAMES else ()
        first = max(dt.date(2025, 10, 15), a.signed + dt.timedelta(days=30))
        b.add(
            a.key,
            payee,
            state,
            first,
            "vehicle",
            VEHICLE_USD,
            None,
            "One-time vehicle purchase",
            printed_category="Vehicle purchase" if a.key == "TX-DPS-TFM" else None,
            tags=tags,
        )
        if a.key == "NH-COLEBROOK-TFM":  # reported: 3 officers, about $100,000 received
            b.add(
                a.key,
                payee,
                state,
                dt.date(2026, 2, 10),
                "performance_award",
                3 * AWARD_TIERS_USD[2],
                3,
                "Quarterly performance award Q1 FY2026, 70-79% tier",
                printed_category="",
                tags=tags,
            )
            continue
        b.add(
            a.key,
            payee,
            state,
            first,
            "equipment",
            n * EQUIPMENT_PER_OFFICER_USD,
            n,
            f"Equipment funds, {n} certified task force officers",
            printed_category="Equipment funds" if a.key == "FL-OCALA-TFM" else None,
            tags=tags,
        )
        if a.key == "WY-LARAMIE-TFM":  # reported: 30 officers, about $300,000 received
            b.add(
                a.key,
                payee,
                state,
                dt.date(2025, 12, 10),
                "equipment",
                -3 * EQUIPMENT_PER_OFFICER_USD,
                None,
                "Reversal: equipment funds for 3 officers not certified",
                printed_date="12/10/2025",
                tags=(*tags, "reversal"),
            )
        if a.key == "TX-POLK-TFM":  # the vehicle paid twice
            b.add(
                a.key,
                payee,
                state,
                dt.date(2026, 1, 14),
                "vehicle",
                VEHICLE_USD,
                None,
                "One-time vehicle purchase",
                tags=("duplicate_vehicle",),
            )
        if a.key in FULL_TIME_KEYS and a.signed < PROGRAM_START:
            salary = n * QUARTER_SALARY_PER_OFFICER_USD
            b.add(
                a.key,
                payee,
                state,
                dt.date(2026, 1, 20),
                "salary_benefits",
                salary,
                n,
                "Salary and benefits reimbursement Q1 FY2026",
                printed_category="Salary & Benefits",
                printed_date="01/20/2026",
                tags=tags,
            )
            share = OVERTIME_SHARE.get(a.key, Decimal("0.20"))
            b.add(
                a.key,
                payee,
                state,
                dt.date(2026, 1, 20),
                "overtime",
                (salary * share).quantize(Decimal("0.01")),
                n,
                "Overtime reimbursement Q1 FY2026",
                printed_category="Overtime",
                tags=(*tags, "overtime_over_cap") if share > Decimal("0.25") else tags,
            )
            tier = _tier(a.key)
            award_day = dt.date(2026, 2, 10)
            b.add(
                a.key,
                payee,
                state,
                award_day,
                "performance_award",
                n * tier,
                n,
                f"Quarterly performance award Q1 FY2026, ${tier:,.0f} per officer",
                printed_category="Performance Award",
                printed_date=_serial(award_day) if a.key == "FL-FHP-TFM" else None,
                tags=tags,
            )
    # a payment after the agreement was removed (Hernando's JEM agreement left the sheet after P4)
    b.add(
        hernando.key,
        hernando.final_agency,
        "FL",
        dt.date(2025, 10, 6),
        "equipment",
        4 * EQUIPMENT_PER_OFFICER_USD,
        4,
        "Equipment funds, 4 officers",
        tags=("paid_after_removal",),
    )
    # a payee that is no agency in the ICE sheets
    b.add(
        None,
        *UNMATCHED_PAYEE,
        dt.date(2025, 11, 12),
        "vehicle",
        VEHICLE_USD,
        None,
        "One-time vehicle purchase",
        tags=("unmatched",),
    )
    # lines that must be rejected (they land with a reason, never silently dropped)
    sevier = by_key["TN-SEVIER-TFM"]
    b.add(
        sevier.key,
        sevier.final_agency,
        "TN",
        dt.date(2026, 3, 2),
        "other",
        None,
        None,
        "Training travel",
        printed_category="Training travel",
        printed_amount="1.325,00",
        tags=("reject_ambiguous_amount",),
    )
    b.add(
        sevier.key,
        sevier.final_agency,
        "TN",
        None,
        "other",
        Decimal("850.00"),
        None,
        "Training travel",
        printed_category="Training travel",
        printed_date="31/01/2026",
        tags=("reject_bad_date",),
    )
    b.add(
        sevier.key,
        sevier.final_agency,
        "TN",
        dt.date(2026, 3, 3),
        "other",
        None,
        None,
        "Training travel",
        printed_category="Training travel",
        printed_amount="",
        tags=("reject_blank_amount",),
    )
    return tuple(b.lines)


LINES: tuple[LedgerLine, ...] = _build()


def ledger_csv() -> str:
    """The ledger file's text (LF line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in LINES:
        writer.writerow(line.cells())
    return out.getvalue()


def write_ledger(dest: Path) -> list[Path]:
    """Write ``dest/ledger/<LEDGER_FILE>``; returns the path written."""
    path = Path(dest) / LEDGER_DIR / LEDGER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ledger_csv().encode("utf-8"))
    return [path]
