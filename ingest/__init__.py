"""Ingestion, build and publishing for the 287(g) warehouse (console script ``ice287g``)."""

__version__ = "0.1.0"
