"""What the notebooks start from: the user's own graph when one is configured, the sample
corpus otherwise, and tables as pandas DataFrames.

    from kg.notebook import open_graph, cypher, frame
    g, where = open_graph()          # Neo4j (NEO4J_URI), else the store KG_STORE, else the sample letters
    cypher("MATCH (a:Agency) RETURN a.name AS name LIMIT 5")   # a DataFrame, when Neo4j is reachable
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def neo4j_store():
    """A Neo4j store when NEO4J_URI is set and the server answers, else None (with a note why)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    try:
        from kg.store.neo4j_store import Neo4jStore
        store = Neo4jStore()
        with store.session(write=False) as s:
            s.run("RETURN 1").consume()
        return store
    except Exception as e:
        print(f"Neo4j at {uri} is not reachable ({_first_line(e)}); using the embedded store")
        return None


def _graph(store) -> nx.MultiDiGraph:
    return store.to_networkx() if hasattr(store, "to_networkx") else store.g


def sample_sources() -> list[Path]:
    """The sample corpus and any folders in KG_NOTEBOOK_CORPUS (separated by the path separator)."""
    extra = [Path(p) for p in os.environ.get("KG_NOTEBOOK_CORPUS", "").split(os.pathsep) if p]
    return [ROOT / "corpus", *extra]


def open_graph() -> tuple[nx.MultiDiGraph, str]:
    """The graph as a networkx MultiDiGraph (node attributes label, name, aliases, kind, docs,
    evidence), and where it came from."""
    store = neo4j_store()
    if store is not None:
        g = _graph(store)
        if g.number_of_nodes():
            return g, f"Neo4j at {os.environ['NEO4J_URI']}"
        print("Neo4j holds no graph yet; using the embedded store")
    from kg.store import EmbeddedStore
    path = os.environ.get("KG_STORE")
    if path and Path(path).is_dir() and any(Path(path).iterdir()):
        store = EmbeddedStore(Path(path))
        if store.stats()["documents"]:
            return _graph(store), f"the store in {path}"
    from kg.pipeline import extract_paths
    folder = Path(path) if path else Path(tempfile.mkdtemp(prefix="kg-notebook-"))
    store = EmbeddedStore(folder)
    graphs, failed = extract_paths(sample_sources(), progress=False)
    store.load(graphs)
    store.save()
    return _graph(store), f"the sample corpus ({len(graphs)} letters) loaded into {folder}"


def frame(cols, rows):
    """Rows as a DataFrame, Neo4j values as plain data."""
    import pandas as pd
    from kg.query import plain
    return pd.DataFrame([[plain(v) for v in r] for r in rows], columns=list(cols))


def cypher(text: str, **params):
    """Read-only Cypher on Neo4j as a DataFrame; None when Neo4j is not configured or reachable."""
    store = neo4j_store()
    if store is None:
        return None
    from kg import query as q
    cols, rows = q.run_cypher(store, text, params)
    return frame(cols, rows)
