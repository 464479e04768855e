"""The ingest's fast paths (issue 11) give the answers of the code they stand in for: the memoised URL
checks, the error-cell scan started from each ``t="e"``, the one-cell hyperlink form and ICE rows built
as Arrow. Each is compared with the slow form on real-looking and random inputs."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import random
import re
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ingest.readers import xlsx
from ingest.sources import url_safety
from ingest.sources.base import Parsed
from ingest.sources.ice_sheets import _rows_as_tables
from ingest.validation import gate

TARGETS = [
    None,
    "",
    "https://www.ice.gov/doclib/287gMOA/a.pdf",
    "http://www.ice.gov/x.pdf",
    "www.ice.gov/doclib/287gMOA/b.pdf",
    "https:/www.ice.gov/c.pdf",
    "https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fd.pdf&data=05",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "http://[::1",
    "file:///etc/passwd",
    "#Sheet2!A1",
    "https://user@evil.example:99999/x",
    "chrome-extension://abc/https://www.ice.gov/e.pdf",
    "https://web.archive.org/web/2025/https://www.ice.gov/f.pdf",
]


def test_memoised_url_checks_answer_as_the_functions_they_wrap():
    url_safety.published_url.cache_clear()
    url_safety.safe_url.cache_clear()
    for target in TARGETS * 2:  # the second round is answered from the caches
        assert url_safety.published_url(target) == url_safety.published_url.__wrapped__(target)
        assert url_safety.safe_url(target) == url_safety.safe_url.__wrapped__(target)
    assert url_safety.published_url.cache_info().hits >= len(TARGETS)


_TOKENS = [
    b'<c r="A1" t="e">',
    b'<c r="B2" s="1" t="e"><v>#N/A</v></c>',
    b'<c r="C3" t="s"><v>4</v></c>',
    b'<c r="D4" t="e"/>',
    b"<v>#REF!</v>",
    b"</c>",
    b"<c ",
    b"<cols>",
    b'xt="e"',
    b' t="e"',
    b">",
    b"<row>",
    b"text",
    b'<c r="E5" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
]


def _spans(matches) -> list[tuple[int, int, bytes, bytes]]:
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in matches]


def test_error_cells_match_the_scan_of_every_cell():
    rng = random.Random(11)
    for _ in range(3000):
        raw = b"".join(rng.choice(_TOKENS) for _ in range(rng.randint(0, 30)))
        assert _spans(xlsx._error_cell_matches(raw)) == _spans(xlsx._ERROR_CELL.finditer(raw)), raw


def _workbook_part(hyperlinks: bytes, rels: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><hyperlinks>" + hyperlinks + b"</hyperlinks></worksheet>")
        zf.writestr("xl/worksheets/_rels/sheet1.xml.rels", rels)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


_LINKS = [
    b'<hyperlink ref="G689" r:id="rId1" xr:uid="{F46EA86F-3C06}"/>',
    b'<hyperlink ref="G65" r:id="rId2"/>',
    b'<hyperlink ref="G65" r:id="rId3"/>',  # the same cell again: the later one wins
    b'<hyperlink ref="H2:H4" r:id="rId1"/>',
    b'<hyperlink r:id="rId2" ref="AB7"/>',
    b'<hyperlink ref="G9" location="Sheet2!A1" display="x"/>',
    b'<hyperlink ref="G10" r:id=""/>',
    b'<hyperlink ref="G11" r:id="rId9"/>',
    b'<hyperlink ref="G12" x:id="rId1"/>',
    b'<hyperlink ref="G13" r:id="rId&amp;1"/>',
    b'<hyperlink ref="g14" r:id="rId1"/>',
]
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="t" Target="https://www.ice.gov/a.pdf?x=1&amp;y=2"/>'
    b'<Relationship Id="rId2" Type="t" Target="https://www.ice.gov/b.pdf" TargetMode="External"/>'
    b'<Relationship Id="rId3" Type="t" Target="javascript:alert(1)"/>'
    b'<Relationship Id="rId&amp;1" Type="t" Target="https://www.ice.gov/amp.pdf"/></Relationships>'
)


def _read_fast_and_general(cases: list[bytes], monkeypatch) -> tuple[list, list]:
    """The links ``_hyperlinks`` reads from each ``<hyperlinks>`` body: with its fast paths, then without."""

    def read() -> list:
        return [xlsx._hyperlinks(_workbook_part(c, _RELS), "xl/worksheets/sheet1.xml", "x.xlsx") for c in cases]

    fast = read()
    monkeypatch.setattr(xlsx, "_PLAIN_HYPERLINK", re.compile(rb"(?!)"))  # never matches: the general form only
    monkeypatch.setattr(xlsx, "_plain_links", lambda *a: None)  # the whole-element fast path: never
    return fast, read()


def test_one_cell_hyperlinks_read_as_the_general_form(monkeypatch):
    rng = random.Random(5)
    cases = [b"".join(rng.choice(_LINKS) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    fast, slow = _read_fast_and_general(cases, monkeypatch)
    assert fast == slow
    assert any(fast)


# Excel's one-cell links with the attributes the reading ignores (display, tooltip, xr:uid), and forms
# the whole-element fast path must leave to the general reading.
_EXCEL_LINKS = [
    b'<hyperlink ref="G689" r:id="rId1" xr:uid="{F46EA86F-3C06}"/>',
    b'<hyperlink ref="G65" r:id="rId2"/>',
    b'<hyperlink ref="G65" r:id="rId3" display="link "/>',  # the same cell again: the later one wins
    b'<hyperlink ref="F2" r:id="rId1" display="https://www.ice.gov/a b.pdf" xr:uid="{A09C64AB}"/>',
    b'<hyperlink ref="G328" r:id="rId2" tooltip="Original URL: https://x/y.pdf. Click" display="d"/>',
    b'<hyperlink ref="G11" r:id="rId9"/>',  # no such relationship: no link
    b'<hyperlink ref="AB70" r:id="rId1" display="caf\xc3\xa9"/>',
    b'<hyperlink ref="C3" r:id="rId3" display="\xff\xfe"/>',  # not UTF-8 in a value the reading ignores
]
_OTHER_LINKS = [
    b'<hyperlink ref="H2:H4" r:id="rId1"/>',
    b'<hyperlink r:id="rId2" ref="AB7"/>',
    b'<hyperlink ref="G9" location="Sheet2!A1" display="x"/>',
    b'<hyperlink ref="G10" r:id=""/>',
    b'<hyperlink ref="G13" r:id="rId&amp;1" display="x"/>',
    b'<hyperlink ref="g14" r:id="rId1"/>',
    b'<hyperlink ref="G15" r:id="rId\xc3\xa91"/>',
    b'<hyperlink ref="G16" r:id="rId1" display="a>b"/>',
    b'<hyperlink ref="G17" r:id="rId1" foo="x"/>',
    b" ",
]


def test_whole_hyperlinks_elements_in_excels_form_read_as_the_general_form(monkeypatch):
    rng = random.Random(7)
    cases = [b"".join(rng.choice(_EXCEL_LINKS) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    cases += [c + rng.choice(_OTHER_LINKS) + c for c in cases[:100]]  # one other form: all by the general code
    plain = [bool(xlsx._PLAIN_HYPERLINKS.fullmatch(b"<hyperlinks>" + c)) for c in cases]
    assert all(plain[:300]) and not any(plain[300:])
    assert [xlsx._plain_links(b"<hyperlinks>" + c, {}) is not None for c in cases] == plain
    fast, slow = _read_fast_and_general(cases, monkeypatch)
    assert fast == slow
    assert sum(map(len, fast)) > 500


def test_plain_links_decide_as_the_whole_fragment_pattern():
    """``_plain_links`` reads a fragment exactly when ``_PLAIN_HYPERLINKS`` matches it whole, and then
    reads the links the pattern's own ``findall`` reads, also for fragments cut or spliced anywhere."""
    rng = random.Random(11)
    pieces = _EXCEL_LINKS + _OTHER_LINKS + [b"<hyperlinks>", b"x", b"/>", b'"', b"<hyperlink ", b"\n"]
    cases = []
    for _ in range(600):
        body = b"".join(rng.choice(_EXCEL_LINKS) for _ in range(rng.randint(0, 8)))
        case = b"<hyperlinks>" + body
        if rng.random() < 0.6:  # a piece spliced in, or the fragment cut, at a random byte
            k = rng.randint(0, len(case))
            case = case[:k] + (rng.choice(pieces) if rng.random() < 0.7 else b"") + case[k + rng.randint(0, 3) :]
        cases.append(case)
    targets = {"rId1": "https://www.ice.gov/a.pdf", "rId2": "https://www.ice.gov/b.pdf", "rId3": "x"}
    decided = [xlsx._plain_links(c, targets) for c in cases]
    whole = [xlsx._PLAIN_HYPERLINKS.fullmatch(c) is not None for c in cases]
    assert [d is not None for d in decided] == whole
    assert 100 < sum(whole) < 500
    for case, links in zip(cases, decided, strict=True):
        if links is not None:
            found = xlsx._PLAIN_LINK_RE.findall(case)
            expected = {
                (int(r), xlsx._column_index(c.decode())): targets[i.decode()]
                for c, r, i in found
                if i.decode() in targets
            }
            assert links == expected


def test_excels_hyperlinks_in_a_part_that_declares_entities_are_still_refused():
    part = b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet><hyperlinks>' + _EXCEL_LINKS[0] + b"</hyperlinks></worksheet>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", part)
        zf.writestr("xl/worksheets/_rels/sheet1.xml.rels", _RELS)
    with pytest.raises(xlsx.UnsafeFileError, match="DTD"):
        xlsx._hyperlinks(zipfile.ZipFile(io.BytesIO(buf.getvalue())), "xl/worksheets/sheet1.xml", "x.xlsx")


@pytest.mark.parametrize(
    "data",
    [
        {"_row_number": [2, 3], "state": ["WY", None], "signed_date": [dt.date(2025, 1, 2), None]},
        {"_row_number": [2], "state": [None], "signed_date": [None]},  # all-empty columns stay object
        {"_row_number": [2, 3], "state": ["a", "b"]},  # a column the layout lacks: all None
    ],
)
def test_ice_rows_as_arrow_give_the_frame_pandas_would_build(data):
    columns = ["_row_number", "state", "signed_date", "addendum"]
    n = len(data["_row_number"])
    arrow, frame = _rows_as_tables(data, columns, n)
    expected = pd.DataFrame({c: data[c] if c in data else [None] * n for c in columns}, columns=columns)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert arrow is not None and arrow.num_rows == n


def test_values_arrow_refuses_fall_back_to_pandas():
    data = {"_row_number": [2, 3], "state": ["WY", 5]}  # mixed Python types
    arrow, frame = _rows_as_tables(data, ["_row_number", "state"], 2)
    assert arrow is None and frame["state"].tolist() == ["WY", 5]


@pytest.mark.parametrize(
    "rels",
    [
        _RELS.replace(
            b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        ),
        _RELS.replace(b'encoding="UTF-8"?>', b'encoding="UTF-8" standalone="yes"?>'),
        _RELS.replace(b"a.pdf?x=1", b"a\xc3\xa9.pdf?x=1"),  # not ASCII: the XML parser reads it
        _RELS.replace(b'Target="javascript', b'TargetMode="External" Target="javascript'),  # other order
        _RELS.replace(b"&amp;y", b"&#38;y"),  # a character reference
    ],
)
def test_plain_relationship_parts_read_as_the_xml_parser_reads_them(rels):
    rels = rels.replace(b'encoding="UTF-8"?>', b'encoding="UTF-8" standalone="yes"?>')
    zf = _workbook_part(b"", rels)
    part = "xl/worksheets/_rels/sheet1.xml.rels"
    parsed = xlsx._parse_xml(zf, part, "x.xlsx")
    expected = {r.get("Id"): r.get("Target") for r in parsed.iter(f"{xlsx._NS_PKG_REL}Relationship")}
    assert xlsx._relationship_targets(zf, part, "x.xlsx") == expected
    assert expected["rId2"] == "https://www.ice.gov/b.pdf"


def test_a_plain_relationship_part_is_read_by_the_regex():
    rels = _RELS.replace(b'encoding="UTF-8"?>', b'encoding="UTF-8" standalone="yes"?>\r\n')
    assert xlsx._PLAIN_RELS.fullmatch(rels)
    assert (
        xlsx._relationship_targets(_workbook_part(b"", rels), "xl/worksheets/_rels/sheet1.xml.rels", "x")["rId1"]
        == "https://www.ice.gov/a.pdf?x=1&y=2"
    )


def test_plain_relationships_decide_as_the_whole_part_pattern():
    """``_plain_relationships`` reads a part exactly when ``_PLAIN_RELS`` matches it whole, and then the
    Id -> Target pairs of that pattern's elements (``&amp;`` as ``&``), also for parts cut or spliced
    anywhere."""
    rng = random.Random(17)
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    elements = [m.group(0) for m in xlsx._RELATIONSHIP_RE.finditer(_RELS)]
    pieces = [b"<", b">", b'"', b"&", b"&amp;", b"\xc3\xa9", b"</Relationships>", b" ", b"\n", head[:40]]
    cases = []
    for _ in range(600):
        case = head + b"".join(rng.choice(elements) for _ in range(rng.randint(0, 6))) + b"</Relationships>\n"
        if rng.random() < 0.6:  # a piece spliced in, or the part cut, at a random byte
            k = rng.randint(0, len(case))
            case = case[:k] + (rng.choice(pieces) if rng.random() < 0.7 else b"") + case[k + rng.randint(0, 3) :]
        cases.append(case)
    decided = [xlsx._plain_relationships(c) for c in cases]
    whole = [xlsx._PLAIN_RELS.fullmatch(c) is not None for c in cases]
    assert [d is not None for d in decided] == whole
    assert 100 < sum(whole) < 500
    for case, pairs in zip(cases, decided, strict=True):
        if pairs is not None:
            expected = {
                i.decode().replace("&amp;", "&"): t.decode().replace("&amp;", "&")
                for i, t in xlsx._RELATIONSHIP_RE.findall(case)
            }
            assert pairs == expected


def test_a_malformed_relationship_part_is_still_refused():
    rels = _RELS.replace(b'encoding="UTF-8"?>', b'encoding="UTF-8" standalone="yes"?>')[:-20]  # cut short
    with pytest.raises(xlsx.UnsafeFileError, match="cannot be parsed safely"):
        xlsx._relationship_targets(_workbook_part(b"", rels), "xl/worksheets/_rels/sheet1.xml.rels", "x.xlsx")


def _zip_of(members: list[tuple[str, bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload, method in members:
            zf.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), payload, compress_type=method)
    return buf.getvalue()


def _zipfile_heads(data: bytes) -> tuple[zipfile.ZipFile, list[object]]:
    """Each member's ``zf.open(info).read(HEAD_BYTES)``, or the type of what zipfile raises."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    heads: list[object] = []
    for info in zf.infolist():
        try:
            with zf.open(info) as fh:
                heads.append(fh.read(xlsx.HEAD_BYTES))
        except Exception as exc:  # any failure of zipfile is what the fast read must leave to it
            heads.append(type(exc))
    return zf, heads


def test_member_heads_read_as_zipfile_reads_them():
    from warehouse_support import SAMPLE

    rng = random.Random(3)
    text = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i, i, i) for i in range(3000))
    noise = bytes(rng.getrandbits(8) for _ in range(9000))
    members = [
        (f"xl/part{k}.xml", payload, method)
        for k, (payload, method) in enumerate(
            (p, m)
            for p in (b"", b"<a/>", text[:4095], text[:4096], text[:4097], text, noise)
            for m in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        )
    ]
    bases = [_zip_of(members)] + [p.read_bytes() for p in sorted(SAMPLE.rglob("*.xlsx"))[:2]]
    read_fast = 0
    for base in bases:
        zf, expected = _zipfile_heads(base)
        assert [xlsx._member_head(base, i) for i in zf.infolist()] == expected  # intact: every head, fast
        read_fast += len(expected)
        for _ in range(150):  # damaged copies: a fast head is zipfile's head, and None wherever zipfile fails
            data = bytearray(base)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] = rng.getrandbits(8)
            data = bytes(data[: rng.choice([len(data), rng.randrange(1, len(data) + 1)])])
            try:
                zf, expected = _zipfile_heads(data)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                continue  # no readable directory: the archive is refused before any member is read
            for info, head in zip(zf.infolist(), expected, strict=True):
                fast = xlsx._member_head(data, info)
                assert fast is None or fast == head, info.filename
                if not isinstance(head, bytes):
                    assert fast is None
    assert read_fast > 30


def test_a_dtd_is_refused_whether_the_head_is_read_fast_or_by_zipfile():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet/>'
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        data = _zip_of([("[Content_Types].xml", b"<Types/>", method), ("xl/worksheets/sheet1.xml", bomb, method)])
        zf = zipfile.ZipFile(io.BytesIO(data))
        assert xlsx._member_head(data, zf.infolist()[1]) == bomb  # read fast
        with pytest.raises(xlsx.UnsafeFileError, match="declares a DTD"):
            xlsx._check_xml_members(zf, "x.xlsx", data)
        with pytest.raises(xlsx.UnsafeFileError, match="declares a DTD"):
            xlsx._check_xml_members(zf, "x.xlsx")


def test_the_unsafe_member_path_check_reads_as_pathlib_does():
    rng = random.Random(9)
    parts = ["..", ".", "", "a", "..a", "a..", "...", "xl", "b.xml"]
    for _ in range(3000):
        name = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 5)))
        assert (".." in name.split("/")) == (".." in Path(name).parts), name


def test_arrow_rows_make_their_frame_on_first_use():
    from warehouse_support import SAMPLE

    from ingest.sources.base import FileInfo, LoadContext
    from ingest.sources.ice_sheets import IceSheets

    path = sorted(SAMPLE.rglob("participating*.xlsx"))[0]
    file = FileInfo.from_path(path, SAMPLE)
    source = IceSheets()
    parsed = source.parse(file, source.detect(file), LoadContext(raw_dir=SAMPLE))
    rows = parsed.unbuilt_frame()
    assert rows is parsed.arrow and parsed.has_rows and parsed.columns == rows.column_names
    again = pickle.loads(pickle.dumps(parsed))  # what a worker sends back: Arrow rows, no frame yet
    assert again.unbuilt_frame() is not None
    for p in (parsed, again):
        pd.testing.assert_frame_equal(p.frame, rows.to_pandas(), check_exact=True)
        assert p.unbuilt_frame() is None and p.frame is p.frame  # made once
    assert parsed.n_rows == len(parsed.frame) > 0
    assert Parsed(source="s", kind="k", layout="l", table="t").frame is None


def _stacked_by_pandas(rows: list) -> pd.DataFrame:
    frames = [r.to_pandas() if isinstance(r, pa.Table) else r for r in rows]
    return pd.concat([f.assign(**{gate.FILE_KEY: k}) for k, f in enumerate(frames)], ignore_index=True)


def test_stacked_arrow_rows_give_the_frame_pandas_stacks():
    rng = random.Random(13)
    values = {
        "text": lambda: rng.choice(["TX", "  a\xa0", "", None, "FLORIDA"]),
        "date": lambda: rng.choice([dt.date(2025, 1, 2), None, dt.date(1999, 12, 31)]),
        "int": lambda: rng.choice([1, 7, None]),
        "float": lambda: rng.choice([1.5, None]),
        "empty": lambda: None,
    }

    def table(n: int) -> pa.Table:
        cols = {"_row_number": pa.array(range(2, n + 2), pa.int64())}
        for name, make in values.items():
            cols[name] = pa.array([make() for _ in range(n)])  # an all-None column is Arrow's null type
        return pa.table(cols)

    for _ in range(200):
        rows = [table(rng.choice([0, 1, 2, 5])) for _ in range(rng.randint(1, 6))]
        if rng.random() < 0.3:
            rows[rng.randrange(len(rows))] = rows[0].to_pandas()  # a frame among Arrow rows
        if rng.random() < 0.3:
            rows = [r.drop_columns(["int", "float"]) if isinstance(r, pa.Table) else r for r in rows]
        pd.testing.assert_frame_equal(gate._stack(rows), _stacked_by_pandas(rows), check_exact=True)


def test_ice_suites_give_the_same_results_on_arrow_rows_and_on_frames():
    from warehouse_support import SAMPLE

    from ingest.sources.base import FileInfo, LoadContext
    from ingest.sources.ice_sheets import IceSheets
    from ingest.validation.registry import suites_for

    source = IceSheets()
    groups: dict[str, tuple[object, list]] = {}
    for path in sorted(SAMPLE.rglob("*.xlsx")):
        file = FileInfo.from_path(path, SAMPLE)
        detection = source.detect(file)
        if detection is None:
            continue
        parsed = source.parse(file, detection, LoadContext(raw_dir=SAMPLE))
        for spec in suites_for(parsed, source):
            groups.setdefault(spec.name, (spec, []))[1].append(parsed.unbuilt_frame())
    assert len(groups) >= 3
    for spec, tables in groups.values():
        assert gate.run_suite(spec, tables) == gate.run_suite(spec, [t.to_pandas() for t in tables])


def test_printed_values_are_cell_text_of_each_value():
    from ingest.sources.base import FileInfo
    from ingest.sources.ice_sheets import _read_rows

    cells = [True, 1, 1.0, 2.5, dt.datetime(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4), dt.date(2025, 1, 2), None]
    cells += ["x", "", float("nan"), dt.time(1, 2), False, 0, 0.0]
    rng = random.Random(17)
    rows = [["WY", rng.choice(cells), rng.choice(cells)] for _ in range(400)]
    sheet = xlsx.Sheet("s", [["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE"], *rows], 1, 0)
    file = FileInfo(path=Path("x.xlsx"), rel_path="x.xlsx", size=0, sha256="0")
    positions = [(0, "STATE"), (1, "LAW ENFORCEMENT AGENCY"), (2, "SUPPORT TYPE")]
    data = _read_rows(file, sheet, 0, positions, "pending")
    kept = [r for r in rows if not all(v is None or (isinstance(v, str) and not v.strip()) for v in r)]
    for column, j in (("law_enforcement_agency", 1), ("support_type", 2)):
        expected = [(r[j] or None) if isinstance(r[j], str) else xlsx.cell_text(r[j]) for r in kept]
        assert data[column] == expected


def test_text_columns_clean_as_value_by_value():
    from ingest.validation.suites import ice

    rng = random.Random(19)
    words = ["TEXAS", "TEXAS ", "\xa0FLORIDA\n", "  ", "", "Task  Force\tModel", "utah", None, "caf\xe9"]
    for _ in range(200):
        values = [rng.choice(words) for _ in range(rng.randint(0, 30))]
        text = pa.table({"v": pa.array(values, pa.string())}).to_pandas()["v"]  # pandas' str dtype, as validated
        for column in (text, pd.Series(values, dtype=object), pd.Series(values, dtype="string")):
            fast, slow = ice._cleaned(column), ice._cleaned_one_by_one(column)
            pd.testing.assert_series_equal(fast, slow, check_exact=True)


def test_arrow_whitespace_class_is_pythons():
    import sys

    from ingest.validation.suites import ice

    listed = {c for a, b in ice.WHITESPACE_RANGES for c in range(a, b + 1)}
    assert listed == {c for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def test_arrow_text_columns_clean_as_python_does():
    from ingest.validation.suites import ice

    rng = random.Random(29)
    spaces = [chr(c) for a, b in ice.WHITESPACE_RANGES for c in range(a, b + 1)]
    letters = ["A", "b", "\xe9", "\u4e2d", "-", ".", "\u200b", "\ufeff"]  # zero-width ones are not whitespace
    values = [None, ""]
    for _ in range(3000):
        values.append("".join(rng.choice(spaces if rng.random() < 0.4 else letters) for _ in range(rng.randint(0, 8))))
    for _ in range(40):
        sample = rng.sample(values, rng.randint(0, 200))
        column = pa.chunked_array([pa.array(sample[:50], pa.string()), pa.array(sample[50:], pa.string())])
        assert ice._cleaned_arrow(column).to_pylist() == [ice._clean(v) for v in sample]
    assert ice._cleaned_arrow(pa.chunked_array([pa.nulls(3)])).to_pylist() == [None] * 3
    with pytest.raises(TypeError):
        ice._cleaned_arrow(pa.chunked_array([pa.array([1, 2])]))


def test_blank_rows_are_dropped_as_every_cell_decides():
    from ingest.sources.base import FileInfo
    from ingest.sources.ice_sheets import _is_blank, _read_rows

    rng = random.Random(23)
    cells = [None, "", " ", "\xa0\n", "WY", 0, 0.0, False, dt.date(2025, 1, 2)]
    rows = [[rng.choice(cells) for _ in range(rng.randint(0, 3))] for _ in range(500)]
    sheet = xlsx.Sheet("s", [["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE"], *rows], 1, 0)
    file = FileInfo(path=Path("x.xlsx"), rel_path="x.xlsx", size=0, sha256="0")
    positions = [(0, "STATE"), (1, "LAW ENFORCEMENT AGENCY"), (2, "SUPPORT TYPE")]
    data = _read_rows(file, sheet, 0, positions, "pending")
    expected = [i + 2 for i, r in enumerate(rows) if not all(_is_blank(v) for v in r)]
    assert data["_row_number"] == expected and len(expected) < len(rows)
