"""Finding entities by part of a name: `kg find TEXT`, and which entity a named query's
name parameter resolves to.

A match is ranked: the canonical name itself, then an alias, then a name that starts with
the text, then a name or an alias that contains it; within a rank, the entity named in
more documents first. Each hit carries its label, its place (a Place it is linked to, else
the province or city its name starts with) and its number of documents."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.records import norm

EXACT_NAME, EXACT_ALIAS, PREFIX, IN_NAME = range(4)
IN_ALIAS = IN_NAME           # inside a name or inside an alias: the same rank
# parameters of the named queries that name an entity (the others are years, sessions, …)
NAME_PARAMS = {"policy", "of", "body", "name", "from", "to", "proposer"}


@dataclass
class Hit:
    id: str
    name: str
    label: str
    place: str
    documents: int
    rank: int
    matched: str            # the form that matched

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "label": self.label, "place": self.place,
                "documents": self.documents, "matched": self.matched}


def _rank(text: str, name: str, aliases) -> tuple[int, str] | None:
    q, n = norm(text), norm(name)
    if not q:
        return None
    if n == q:
        return EXACT_NAME, name
    for a in aliases:
        if norm(a) == q:
            return EXACT_ALIAS, a
    if n.startswith(q):
        return PREFIX, name
    if q in n:
        return IN_NAME, name
    for a in aliases:
        if q in norm(a):
            return IN_ALIAS, a
    return None


class _Places:
    """Where an entity is: a linked Place, else the longest Place name its name starts with."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.names = sorted({d["name"] for _, d in g.nodes(data=True) if d.get("label") == "Place"},
                            key=len, reverse=True)

    def of(self, v: str) -> str:
        d = self.g.nodes[v]
        if d.get("label") == "Place":
            return d["name"]
        linked = sorted({self.g.nodes[x]["name"] for x in nx.all_neighbors(self.g, v)
                         if self.g.nodes[x].get("label") == "Place"})
        if linked:
            return "、".join(linked)
        return next((p for p in self.names if d["name"].startswith(p)), "")


def find(g: nx.MultiDiGraph, text: str, limit: int | None = 20, labels: set[str] | None = None) -> list[Hit]:
    """Entities of `g` whose name or an alias contains `text`, best first."""
    places = _Places(g)
    hits = []
    for v, d in g.nodes(data=True):
        if labels and d.get("label") not in labels:
            continue
        r = _rank(text, d["name"], d.get("aliases", []))
        if r:
            hits.append((r, v, d))
    hits.sort(key=lambda h: (h[0][0], -len(h[2].get("docs", [])), len(h[2]["name"]), h[1]))
    return [Hit(v, d["name"], d["label"], places.of(v), len(d.get("docs", [])), r[0], r[1])
            for r, v, d in hits[:limit]]


def find_neo4j(store, text: str, limit: int | None = 20) -> list[Hit]:
    """The same search on Neo4j: a CONTAINS on the `forms` text index, ranked here."""
    lookup = "Entity"
    cypher = (f"MATCH (n:{lookup}) WHERE n.forms CONTAINS $q "
              "OPTIONAL MATCH (n)-[:SUPPORTED_BY]->(d:Document) "
              "WITH n, count(d) AS docs "
              "OPTIONAL MATCH (n)--(p:Place) "
              "RETURN elementId(n) AS id, n.name AS name, [l IN labels(n) WHERE l <> $lookup][0] AS label, "
              "coalesce(n.aliases, []) AS aliases, docs, collect(DISTINCT p.name) AS places LIMIT 2000")
    with store.session(write=False) as s:
        rows = list(s.run(cypher, q=text.strip(), lookup=lookup))
    hits = []
    for r in rows:
        rank = _rank(text, r["name"], r["aliases"])
        if rank:
            hits.append(Hit(f"{r['label']}:{norm(r['name'])}", r["name"], r["label"], "、".join(sorted(r["places"])),
                            r["docs"], rank[0], rank[1]))
    hits.sort(key=lambda h: (h.rank, -h.documents, len(h.name), h.id))
    return hits[:limit]


class Ambiguous(ValueError):
    pass


def resolve(hits: list[Hit], text: str) -> Hit | None:
    """The one entity `text` names exactly, None if none does; Ambiguous when several
    different entities have it as their name or alias (a short form such as 省政协)."""
    exact = [h for h in hits if h.rank in (EXACT_NAME, EXACT_ALIAS)]
    names = [h for h in exact if h.rank == EXACT_NAME]
    if len(names) == 1:
        return names[0]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        listed = "; ".join(f"{h.name} ({h.label}{', ' + h.place if h.place else ''}, {h.documents} document(s))"
                           for h in exact[:10])
        raise Ambiguous(f"{text!r} names {len(exact)} entities: {listed}. Give the full name")
    return None
