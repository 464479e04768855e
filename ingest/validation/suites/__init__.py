"""Expectation suites, one module per raw source (``suites() -> list[SuiteSpec]``), discovered by name.

To gate a new source, add ``<source>.py`` here; see ``ice.py`` for the pattern and
``ingest/validation/registry.py`` for the constructors.
"""
