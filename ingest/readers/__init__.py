"""Readers, one per file format: xlsx (values and hyperlinks) and delimited text (DuckDB-native); ``headers``:
the one rule every source compares a printed header cell by."""
