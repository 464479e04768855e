"""``site/changes.atom``: an Atom entry per participating sheet with what changed on it (RFC 4287)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape


def _stamp(value: dt.datetime | dt.date | None) -> str:
    """RFC 3339 in UTC (``published_at`` is a naive UTC timestamp)."""
    if value is None:
        return "1970-01-01T00:00:00Z"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _summary(counts: dict[str, int]) -> str:
    from ingest.site import CHANGE_LABELS

    return ", ".join(f"{n} {CHANGE_LABELS.get(kind, kind)}" for kind, n in counts.items()) or "no change"


def atom(grouped: list[dict], info: dict[str, str], is_synthetic: bool) -> str:
    """The feed, newest sheet first; entry ids are stable across rebuilds (the publication id)."""
    label = " (SYNTHETIC sample data)" if is_synthetic else ""
    updated = _stamp(grouped[0]["pub"]["published_at"]) if grouped else _stamp(None)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>ICE 287(g) agreement sheets: what changed{escape(label)}</title>",
        '<link rel="alternate" type="text/html" href="changes.html"/>',
        '<link rel="self" type="application/atom+xml" href="changes.atom"/>',
        "<id>urn:ice287g:changes</id>",
        f"<updated>{updated}</updated>",
        "<author><name>287(g) warehouse</name></author>",
    ]
    for group in grouped:
        pub = group["pub"]
        items = "".join(
            f"<li>{escape(c['agency_name'] or c['agency_id'] or '')} ({escape(c['state_code'] or '')}, "
            f"{escape(c['support_type'] or '')}): {escape(c['text'])}</li>"
            for c in group["changes"]
        )
        first = "<p>First sheet in the archive: every agreement on it is new here.</p>" if group["is_first"] else ""
        content = f"{first}<ul>{items}</ul>" if items else "<p>No agreement changed on this sheet.</p>"
        out += [
            "<entry>",
            f"<title>Sheet of {pub['published_date']}: {escape(_summary(group['counts']))}{escape(label)}</title>",
            f"<id>urn:ice287g:publication:{escape(pub['publication_id'])}</id>",
            f'<link rel="alternate" type="text/html" href="changes.html#pub-{escape(pub["publication_id"])}"/>',
            f"<updated>{_stamp(pub['published_at'])}</updated>",
            f"<summary>{escape(pub['file_name'] or '')}: {escape(_summary(group['counts']))}</summary>",
            f'<content type="html">{escape(content)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
