"""Storage of extraction results: the ``Store`` protocol, the DuckDB store, queries and exports."""

from .base import AddStats, Store
from .duckdb_store import SCHEMA_VERSION, DuckDBStore
from .query import EventFilter, Page

__all__ = ["SCHEMA_VERSION", "AddStats", "DuckDBStore", "EventFilter", "Page", "Store"]
