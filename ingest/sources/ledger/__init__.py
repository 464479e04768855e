"""ICE payment ledgers (payouts to 287(g) agencies), CSV or XLSX, in any column layout.

No public ledger exists (realdata MANIFEST section 5), so a user brings one in whatever shape they
obtained it. A small YAML *mapping* names the ledger's columns for the canonical fields, its date
formats, its money format and the keywords that map printed categories to the canonical ones:

| key            | meaning                                                                          |
|----------------|----------------------------------------------------------------------------------|
| name           | the mapping's name (recorded on every landed line)                               |
| columns        | canonical field -> header as printed (trimmed, any case). Required fields:       |
|                | payee_name, payment_date, amount. Optional: state, fiscal_year, category,         |
|                | certified_officers, document_id, description                                     |
| date_formats   | strptime formats tried in order, plus `excel_serial` (days since 1899-12-30)      |
| money_format   | `us` (1,325.00) or `eu` (1.325,00); the other style is rejected as ambiguous      |
| category_from  | fields searched for category keywords, in order (default: category, description) |
| categories     | ordered rules `{category: <code>, keywords: [...]}`; first whole-word hit wins    |
| header_row     | 1-based header row (default: found in the first 20 rows)                         |
| sheet          | worksheet name for xlsx (default: the one sheet whose header fits)               |
| delimiter, encoding | CSV options (default: sniffed delimiter, utf-8)                             |

Mappings are looked up next to the ledger (`<file>.mapping.yaml`, `<stem>.mapping.yaml`,
`ledger_mapping.yaml`), then among the packaged defaults in ``ingest/ledger_mappings/``.

The ledger lands as printed (every mapped field as text) in ``raw.ledger_lines``; the same DuckDB
SELECT also parses amount, date, fiscal year, officer count and category. A line that fails parsing
still lands, with ``parse_status = 'rejected'`` and a ``reject_reason`` naming the column — nothing
is dropped. CSV is read by DuckDB's ``read_csv`` (no per-row Python); xlsx is read with calamine
and parsed by the same SELECT.
"""

from __future__ import annotations

from ingest.sources.ledger.mapping import CATEGORIES, FIELDS, REQUIRED_FIELDS, Mapping, load_mapping
from ingest.sources.ledger.source import LEDGER_COLUMNS, Ledger

__all__ = ["CATEGORIES", "FIELDS", "LEDGER_COLUMNS", "REQUIRED_FIELDS", "Ledger", "Mapping", "load_mapping"]
