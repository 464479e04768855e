"""Readers, one per file format: xlsx (values and hyperlinks) and delimited text (DuckDB-native)."""
