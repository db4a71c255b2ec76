"""Stores: where the graph lives. The embedded store (networkx on disk) needs no server."""
from kg.store.embedded import EmbeddedStore, LoadResult

__all__ = ["EmbeddedStore", "LoadResult"]
