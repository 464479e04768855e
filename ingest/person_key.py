"""Keyed hashes of person identifiers: repeat arrests can be counted without exposing the id.

Design
------
* The secret is 32 random bytes in ``<warehouse>/secrets/person_key`` (mode 0600), created on the
  first build that needs it. It is never in the repository, never in dbt's compiled SQL or logs:
  the hash is computed here, at ingestion, in Python, and only the hash (``person_key``) travels on.
* ``ICE287G_PERSON_KEY_FILE`` points at another key file, so a team can share one key across
  warehouses (then person keys are comparable between their builds); without it every warehouse has
  its own key and its person keys cannot be joined to anyone else's.
* ``person_key = hex(HMAC-SHA256(secret, normalised identifier))``. Normalising = trim + upper case.
  A keyed hash (not a plain sha256) matters: A-numbers and similar ids come from a small space and a
  plain hash could be reversed by enumerating it.
* ``key_id`` (HMAC of a fixed label, 16 hex) is written to each file's manifest entry, so a
  warehouse whose key changed (secret deleted) can be detected: its older person keys no longer match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "ICE287G_PERSON_KEY_FILE"
KEY_BYTES = 32


def key_path(warehouse_dir: Path) -> Path:
    """Where the person key lives: $ICE287G_PERSON_KEY_FILE or <warehouse>/secrets/person_key."""
    override = os.environ.get(KEY_ENV)
    return Path(override) if override else Path(warehouse_dir) / "secrets" / "person_key"


def load_or_create_key(warehouse_dir: Path) -> bytes:
    """Read the warehouse's person key, creating it (random, 0600) on first use."""
    path = key_path(warehouse_dir)
    if path.exists():
        data = path.read_bytes()
        if len(data) < 16:
            raise ValueError(f"person key file {path} holds {len(data)} bytes (expected {KEY_BYTES})")
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def person_key(key: bytes, identifier: str | None) -> str | None:
    """HMAC-SHA256 of a normalised identifier (hex), or None for a missing identifier."""
    if identifier is None:
        return None
    norm = " ".join(str(identifier).split()).upper()
    if not norm:
        return None
    return hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A fingerprint of the key (not the key): HMAC of a fixed label, 16 hex characters."""
    return hmac.new(key, b"ice287g person key id", hashlib.sha256).hexdigest()[:16]
