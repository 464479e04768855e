"""Seeded mutations for the value-resolution test (README "Three kinds of problem", issue 10; the test is
tests/python/e2e/test_bad_values.py::test_injected_misspellings_and_error_cells_publish_and_resolve).

Copies of three sheets of the synthetic sample get misspellings (one or two random edits, seeded) and error cells
(#N/A, #NA) in STATE, SUPPORT TYPE, TYPE and COUNTY cells and land as new publications. One build must still
publish, list every injected value in marts.rpt_values_for_review, and resolve every misspelling to the
value it was made from. Misspellings are drawn so that a sane rule can resolve them, checked by
construction here: the conservative fuzzy rule of macros/value_resolution.sql (1-2 edits, at most 20 %
of the word, runner-up at least twice as far) for STATE / SUPPORT TYPE / TYPE, and the COUNTY-column typo
tier of the geography layer (1 edit, 2 from 8 letters, exactly one county of the state in reach).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import string
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[2]
# after the value cases of test_bad_values.py (the summary shows their examples first), before its
# hostile and same-day sheets
MUTATED_FROM = dt.date(2026, 6, 10)
SEED = 28710
SHEETS = (  # (path under the sample, raw table)
    ("ice_287g_sheets/2026-03-27/participatingAgencies03272026.xlsx", "ice_participating_rows"),
    ("ice_287g_sheets/2026-02-27/participatingAgencies02272026mid.xlsx", "ice_participating_rows"),
    ("ice_287g_sheets/2025-04-28/pendingAgencies04282025am.xlsx", "ice_pending_rows"),
)
SUPPORT_WORDS = {
    "JAIL ENFORCEMENT MODEL": "Jail Enforcement Model",
    "JAIL ENFORCEMENT": "Jail Enforcement Model",
    "TASK FORCE MODEL": "Task Force Model",
    "TASK FORCE": "Task Force Model",
    "WARRANT SERVICE OFFICER": "Warrant Service Officer",
}
AGENCY_TYPE_WORDS = {
    "COUNTY": "County",
    "MUNICIPALITY": "Municipality",
    "MUNICIPAL": "Municipality",
    "STATE AGENCY": "State Agency",
    "STATE": "State Agency",
}
# values a reviewed rule (seeds/ice/value_vocabulary.csv variants, seeds/ice/state_name_fixes.csv) already knows: a
# misspelling equal to one would be resolved by that rule, not the fuzzy one
REVIEWED = {"WARRANT SERVICES OFFICER", "WARRANT SERVICE OFFICE", "WARRANT SERVICES OFFICE", "WARRANT SERVICE OFFICERS"}
REVIEWED |= {"MUNCIPALITY", "PENNSLYVANIA", "WEST VIRIGINIA", "UTAHJ", "DELAWARE"}
COUNTY_UNITS = re.compile(r"\s+(city and borough|census area|planning region|county|parish|borough|municipality|city)$")


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), as DuckDB's levenshtein."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def letters_key(value: str) -> str:
    """macros/value_resolution.sql vocabulary_key: upper case, letters and single spaces only."""
    text = re.sub(r"[-/_]", " ", " ".join(value.split()).upper())
    return " ".join(re.sub(r"[^A-Z ]", "", text).split())


def fuzzy_resolution(value: str, words: dict[str, str]) -> str | None:
    """What the fuzzy tier resolves `value` to (None: not resolvable, or an exact word)."""
    key = letters_key(value)
    if key in words:
        return None
    best: dict[str, tuple[int, int]] = {}
    for word, resolution in words.items():
        cand = (levenshtein(key, word), -len(word))
        best[resolution] = min(best.get(resolution, cand), cand)
    ranked = sorted((d, -neg_len, res) for res, (d, neg_len) in best.items())
    (d, length, resolution), runner_up = ranked[0], (ranked[1][0] if len(ranked) > 1 else 99)
    if 1 <= d <= 2 and d * 5 <= length and runner_up >= 2 * d:
        return resolution
    return None


def county_key(name: str) -> str:
    """macros/geography.sql county_name_key (enough of geo_tidy for the sample's names)."""
    tidy = " ".join(name.lower().replace("'", "").replace(".", "").replace("-", " ").split())
    return COUNTY_UNITS.sub("", tidy)


def misspell(value: str, edits: int, rng: random.Random, *, start: int = 0, stop: int | None = None) -> str:
    """`edits` random substitutions / deletions / insertions of letters in value[start:stop]."""
    chars = list(value)
    stop = len(chars) if stop is None else stop
    for _ in range(edits):
        positions = [i for i in range(start, stop) if chars[i].isalpha()]
        pos = rng.choice(positions)
        letter = rng.choice(string.ascii_lowercase)
        letter = letter.upper() if chars[pos].isupper() else letter
        op = rng.choice(("sub", "del", "ins"))
        if op == "sub":
            while letter.lower() == chars[pos].lower():
                letter = rng.choice(string.ascii_lowercase)
                letter = letter.upper() if chars[pos].isupper() else letter
            chars[pos] = letter
        elif op == "del":
            del chars[pos]
            stop -= 1
        else:
            chars.insert(pos, letter)
            stop += 1
    return "".join(chars)


@dataclass(frozen=True)
class Injection:
    source_table: str
    column_name: str  # state / support_type / agency_type / county
    value: str
    expected: str | None  # resolved_to; None for an error cell


def _vocabularies() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """State words (upper names and USPS codes -> USPS) and census counties by state."""
    with (REPO / "seeds" / "reference" / "states.csv").open(newline="") as fh:
        states = list(csv.DictReader(fh))
    words = {s["state_name"].upper(): s["state_code"] for s in states} | {
        s["state_code"]: s["state_code"] for s in states
    }
    counties: dict[str, list[tuple[str, str]]] = {}
    gazetteer = REPO / "data" / "sample" / "census" / "gazetteer_2025" / "2025_Gaz_counties_national.txt"
    with gazetteer.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="|"):
            counties.setdefault(row["USPS"], []).append((row["NAME"], row["GEOID"]))
    return words, counties


def _draw(rng: random.Random, original: str, words: dict[str, str], target: str) -> str:
    """A one- or two-edit misspelling of `original` that the fuzzy rule resolves back to `target`."""
    for _ in range(500):
        edits = rng.choice((1, 2))
        candidate = misspell(original, edits, rng)
        key = letters_key(candidate)
        if (
            key not in REVIEWED
            and levenshtein(key, letters_key(original)) == edits
            and (fuzzy_resolution(candidate, words) == target)
        ):
            return candidate
    raise AssertionError(f"no resolvable misspelling of {original!r}")


def _draw_county(rng: random.Random, printed: str, state_counties: list[tuple[str, str]]) -> tuple[str, str] | None:
    """A misspelling of the name part of `printed` (an exact census county name) that the geography
    typo tier resolves to that county alone, and its expected 'Name (GEOID)'."""
    match = next(((n, g) for n, g in state_counties if n.lower() == printed.strip().lower()), None)
    unit = COUNTY_UNITS.search(printed.strip().lower())
    if match is None or unit is None or unit.group(1) not in ("county", "parish"):
        return None
    name_end = len(printed.strip()) - len(unit.group(0))
    keys = {county_key(n): (n, g) for n, g in state_counties}
    for _ in range(200):
        edits = rng.choice((1, 2))
        candidate = misspell(printed.strip(), edits, rng, stop=name_end)
        key = county_key(candidate)
        reach = 2 if len(key) >= 8 else 1
        in_reach = [k for k in keys if 1 <= levenshtein(key, k) <= reach]
        if len(key) >= 5 and key not in keys and in_reach == [county_key(match[0])]:
            return candidate, f"{match[0]} ({match[1]})"
    return None


def mutated_path(raw: Path, rel: str, index: int) -> Path:
    """Where the mutated copy of sample sheet `rel` goes: its own date folder, named for that date."""
    day = MUTATED_FROM + dt.timedelta(days=index)
    kind = "pending" if Path(rel).name.startswith("pending") else "participating"
    return raw / "ice_287g_sheets" / day.isoformat() / f"{kind}Agencies{day:%m%d%Y}am.xlsx"


def write_mutated_copies(sample: Path, raw: Path, rng: random.Random) -> list[Injection]:
    """Copies of the SHEETS of `sample` with misspellings and error cells injected, written into `raw` as
    new publications (folder and name dated MUTATED_FROM, a day apart): what was injected where."""
    state_words, counties = _vocabularies()
    injected: list[Injection] = []
    errors = iter(("#N/A", "#NA") * 8)
    for index, (rel, table) in enumerate(SHEETS):
        workbook = load_workbook(sample / rel)
        sheet = workbook.active
        header = [c.value for c in sheet[1]]
        col = {name: header.index(name) + 1 for name in ("STATE", "SUPPORT TYPE", "TYPE", "COUNTY")}
        rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=col["STATE"]).value]

        def cell(row: int, name: str, sheet=sheet, col=col):
            return sheet.cell(row=row, column=col[name])

        # each column gets its own random rows; only the row whose STATE becomes an error cell (XX)
        # is kept out of the county misspelling (its county could not resolve in an unknown state)
        state_error_row = rng.choice(rows)
        plan = {
            "STATE": ("state", 2 if table == "ice_participating_rows" else 1),
            "SUPPORT TYPE": ("support_type", 1),
            "TYPE": ("agency_type", 1),
        }
        for header_name, (column_name, n_misspelt) in plan.items():
            words = {"state": state_words, "support_type": SUPPORT_WORDS, "agency_type": AGENCY_TYPE_WORDS}[column_name]
            pool = [r for r in rows if r != state_error_row]
            rng.shuffle(pool)
            targets = [r for r in pool if letters_key(str(cell(r, header_name).value or "")) in words]
            error_row = (
                state_error_row if header_name == "STATE" else next(r for r in pool if r not in targets[:n_misspelt])
            )
            for row in targets[:n_misspelt]:
                target = words[letters_key(str(cell(row, header_name).value))]
                value = _draw(rng, " ".join(str(cell(row, header_name).value).split()), words, target)
                cell(row, header_name).value = value
                injected.append(Injection(table, column_name, value, target))
            value = next(errors)
            cell(error_row, header_name).value = value
            injected.append(Injection(table, column_name, value, None))
        pool = [r for r in rows if r != state_error_row]
        rng.shuffle(pool)
        county_rows = iter(pool)
        for row in county_rows:
            state = " ".join(str(cell(row, "STATE").value).split()).upper()
            drawn = _draw_county(
                rng, str(cell(row, "COUNTY").value or ""), counties.get(state_words.get(state, ""), [])
            )
            if drawn:
                cell(row, "COUNTY").value = drawn[0]
                injected.append(Injection(table, "county", drawn[0], drawn[1]))
                break
        else:
            raise AssertionError(f"no county to misspell in {rel}")
        value = next(errors)
        cell(next(county_rows), "COUNTY").value = value
        injected.append(Injection(table, "county", value, None))
        path = mutated_path(raw, rel, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
    return injected
