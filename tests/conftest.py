from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import extract_one
from kg.records import DocGraph, RawDocument, norm

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "corpus" / "jilin-kjt-2022-L37.txt"


class View:
    """A DocGraph read by names, for assertions."""

    def __init__(self, g: DocGraph):
        self.g = g
        self.by_id = g.nodes

    def node(self, name: str, label: str | None = None):
        n = norm(name)
        hits = [x for x in self.g.nodes.values() if (label is None or x.label == label)
                and (norm(x.name) == n or any(norm(a) == n for a in x.aliases))]
        assert len(hits) <= 1, f"{name} resolves to {len(hits)} nodes: {[h.name for h in hits]}"
        return hits[0] if hits else None

    def names(self, label: str) -> set[str]:
        return {x.name for x in self.g.nodes.values() if x.label == label}

    def rel(self, rtype: str, src: str, dst: str):
        s, t = self.node(src), self.node(dst)
        if s is None or t is None:
            return None
        r = self.g.relationships.get((rtype, s.id, t.id))
        if r is None and rtype == "COOPERATES_WITH":
            r = self.g.relationships.get((rtype, t.id, s.id))
        return r

    def rels(self, rtype: str) -> set[tuple[str, str]]:
        return {(self.g.nodes[r.source].name, self.g.nodes[r.target].name)
                for r in self.g.relationships.values() if r.type == rtype}


def letter(text: str, doc_id: str = "t") -> View:
    from kg.extract import extract
    from kg.pipeline import finalize
    return View(finalize(extract(RawDocument(doc_id, text))))


@pytest.fixture
def view_of():
    return lambda path: View(extract_one(path))


@pytest.fixture(scope="session")
def seed() -> View:
    return View(extract_one(SEED))


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_kg(*args, env=None):
    """`kg ARGS` as a user runs it, in a process of its own (env added to this one's)."""
    import os
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j Community server for the whole session, started as a user would:
    `kg neo4j start` (it fetches Neo4j with Maven the first time)."""
    import os
    import subprocess
    import sys
    home = tmp_path_factory.mktemp("neo4j-home")
    env = {"KG_NEO4J_HOME": str(home), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    kg = [sys.executable, "-m", "kg.cli", "neo4j"]
    # the tests run as root in CI: the server refuses root unless told, as here
    p = subprocess.run([*kg, "start", "--allow-root"], capture_output=True, text=True)
    assert p.returncode == 0, f"kg neo4j start failed: {p.stderr}"
    try:
        yield env["NEO4J_URI"]
    finally:
        subprocess.run([*kg, "stop"], capture_output=True, text=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def neo4j_store(neo4j_server):
    from kg.store.neo4j_store import Neo4jStore
    store = Neo4jStore()
    store.clear()
    store.apply_schema()
    yield store
    store.close()
