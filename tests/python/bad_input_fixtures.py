"""Fixtures shared by the bad-input suites (tests/python/e2e/test_bad_inputs.py: files that are refused;
test_bad_values.py: values that land): rows of a good sheet, xlsx zip surgery, ledger text, unsafe links."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from xlsx_fixtures import row8


def agency_rows(n: int = 3, **overrides) -> list[list]:
    """n good rows of an 8-column participating sheet (names "Bad Case Agency <i>")."""
    return [
        row8(f"Bad Case Agency {i}", signed=dt.date(2025, 3, 1) + dt.timedelta(days=i), **overrides) for i in range(n)
    ]


def rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Copy an xlsx archive, replacing or adding members (for hostile-archive fixtures)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, payload in (add or {}).items():
            dst.writestr(name, payload)
    return out.getvalue()


LEDGER_HEADER = (
    "payee_name,state,payment_date,fiscal_year,category,amount_usd,certified_officer_count,document_id,description\n"
)


def ledger_text(*lines: str) -> str:
    return LEDGER_HEADER + "".join(line + "\n" for line in lines)


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and "MarkupError" not in text and "UnicodeEncodeError" not in text, text[-3000:]


UNSAFE_TARGETS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "file://server/share/moa.pdf",
    "\\\\server\\share\\moa.pdf",
    "mailto:someone@example.com",
    "#Sheet2!A1",
    "https://nam12.safelinks.protection.outlook.com/?url=javascript%3Aalert(1)&data=x",
    "https://nam12.safelinks.protection.outlook.com/?url=javascript:alert(1)&data=x",
    "https://nam12.safelinks.protection.outlook.com/?url=file%3A%2F%2F%2Fetc%2Fpasswd&data=x",
    "https://web.archive.org/web/2025/javascript:alert(1)",
    "http://[::1",
    "https://www.ice.gov/x\x00.pdf",
]
