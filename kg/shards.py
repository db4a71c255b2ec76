"""Shards: what an extraction worker writes for a chunk of letters, and the merge reads.

A shard is one `marshal` blob of plain tuples — the fastest format Python reads back and
about a third of a pickle of the records — holding, in input order, one entry per path:

    ("ok", path, graph)      graph = (doc_id, content_hash, nodes, relationships)
    ("same", path, doc_id)   unchanged: the store already has this content (content hash)
    ("err", path, message)   the one line that says why this document failed

    node = (label, name, key, aliases, kind, properties, evidence)
    relationship = (type, source, target, properties, evidence)
    evidence = ((doc_id, start, end, sentence), ...)

Each evidence sentence is written once per letter however many facts cite it: the encoder makes
equal sentences one object, and marshal writes an object seen before as a reference to it (and
reads it back as one object again). Properties whose values marshal cannot
hold (nothing the extractor makes today) fall back to a pickle of the same tuples, which keeps
shared objects alike; the first byte says which."""
from __future__ import annotations

import dataclasses
import marshal
import os
import pickle
import tempfile
from pathlib import Path

from kg.records import DocGraph, Evidence, Node, Relationship

FORMAT = 2
_MARSHAL, _PICKLE = b"M", b"P"


class Sentences:
    """A table of sentences, each stored once. The extractor hands every fact of a sentence the
    same string object, so lookups go by identity first and never compare long strings."""

    def __init__(self):
        self.items: list[str] = []
        self._by_id: dict[int, int] = {}
        self._by_text: dict[str, int] = {}
        self._alive: list[str] = []     # every object whose id is a key stays alive: ids are never reused

    def index(self, s: str) -> int:
        i = self._by_id.get(id(s))
        if i is None:
            i = self._by_text.get(s)
            if i is None:
                i = self._by_text[s] = len(self.items)
                self.items.append(s)
            self._by_id[id(s)] = i
            self._alive.append(s)
        return i


def encode_graph(g: DocGraph) -> tuple:
    one: dict[str, str] = {}      # each sentence as one object (facts may hold equal copies)
    ev = lambda evs: tuple([(e[0], e[1], e[2], one.setdefault(e[3], e[3])) for e in evs])
    nodes = tuple([(n.label, n.name, n.key, tuple(sorted(n.aliases)), n.kind, n.properties, ev(n.evidence))
                   for n in g.nodes.values()])
    rels = tuple([(r.type, r.source, r.target, r.properties, ev(r.evidence)) for r in g.relationships.values()])
    return (g.doc_id, g.content_hash, nodes, rels)


_new_ev = tuple.__new__
_new = object.__new__
# the fast path sets exactly these fields; records with others are built by their constructors
_FAST = ([f.name for f in dataclasses.fields(Node)] == ["label", "name", "key", "aliases", "kind", "properties", "evidence"]
         and [f.name for f in dataclasses.fields(Relationship)] == ["type", "source", "target", "properties", "evidence"]
         and Evidence._fields == ("doc_id", "start", "end", "sentence"))


def decode_graph(t: tuple) -> DocGraph:
    # records built without their constructors' Python-level __init__: the merge reads some 150
    # nodes and relationships and 170 evidence items a letter
    if not _FAST:
        return _decode_slow(t)
    doc_id, content_hash, nodes, rels = t
    g = DocGraph(doc_id, content_hash)
    gn, gr = g.nodes, g.relationships
    for label, name, key, aliases, kind, props, evs in nodes:
        n = _new(Node)
        n.__dict__ = {"label": label, "name": name, "key": key, "aliases": set(aliases), "kind": kind,
                      "properties": props, "evidence": [_new_ev(Evidence, e) for e in evs]}
        gn[label + ":" + key] = n
    for rtype, source, target, props, evs in rels:
        r = _new(Relationship)
        r.__dict__ = {"type": rtype, "source": source, "target": target, "properties": props,
                      "evidence": [_new_ev(Evidence, e) for e in evs]}
        gr[(rtype, source, target)] = r
    return g


def _decode_slow(t: tuple) -> DocGraph:
    doc_id, content_hash, nodes, rels = t
    g = DocGraph(doc_id, content_hash)
    for label, name, key, aliases, kind, props, evs in nodes:
        n = Node(label, name, key, set(aliases), kind, props, [Evidence(*e) for e in evs])
        g.nodes[n.id] = n
    for rtype, source, target, props, evs in rels:
        g.relationships[(rtype, source, target)] = Relationship(rtype, source, target, props, [Evidence(*e) for e in evs])
    return g


def dumps(entries: list[tuple]) -> bytes:
    body = (FORMAT, entries)
    try:
        return _MARSHAL + marshal.dumps(body)
    except ValueError:          # a property value marshal does not know
        return _PICKLE + pickle.dumps(body, protocol=5)


def loads(blob: bytes) -> list[tuple]:
    kind, data = blob[:1], blob[1:]
    body = marshal.loads(data) if kind == _MARSHAL else pickle.loads(data) if kind == _PICKLE else None
    if not body or body[0] != FORMAT:
        raise ValueError("not a kg shard of this version")
    return body[1]


def write(blob: bytes, folder: str | Path) -> str:
    """Write a shard atomically into `folder` (a temporary name, then one rename); its path."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".shard-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        final = tmp[:-4] + ".kgs"
        os.replace(tmp, final)
        return final
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: str | Path, remove: bool = False) -> list[tuple]:
    blob = Path(path).read_bytes()
    if remove:
        Path(path).unlink(missing_ok=True)
    return loads(blob)
