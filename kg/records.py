"""Typed records passed between the stages: load → extract → resolve → store."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple
from dataclasses import dataclass, field

# Evidence kept per node or relationship in a store: the first ones found. A body named in
# thousands of letters does not need thousands of sentences on its node; `docs` stays complete.
MAX_EVIDENCE = 20

_STRIP = re.compile(r"[\s\"'“”‘’《》〈〉<>＜＞「」『』]")


@lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """Comparison form of a name: NFKC, without white space, quotes or title marks."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass(frozen=True)
class RawDocument:
    """What a loader hands to the extractor: the text and where it came from."""
    doc_id: str
    text: str                 # what extraction reads (simplified characters)
    source: str = ""
    original: str = ""        # the text as published, when it differs (traditional); same offsets
    fmt: str = "text"         # text | html | docx | pdf

    @property
    def content_hash(self) -> str:
        import hashlib
        return hashlib.sha256((self.original or self.text).encode("utf-8")).hexdigest()[:16]

    @property
    def published(self) -> str:
        """The text evidence quotes: the original characters."""
        return self.original or self.text


class Evidence(NamedTuple):
    """Where a fact is said: a character span of a document and its sentence. A tuple: a
    letter has thousands, and they cross process boundaries in bulk (kg load --jobs)."""
    doc_id: str
    start: int
    end: int
    sentence: str

    def as_dict(self) -> dict:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "sentence": self.sentence}


@dataclass
class Node:
    label: str
    name: str
    key: str = ""
    aliases: set[str] = field(default_factory=set)
    kind: str = ""
    properties: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def __post_init__(self):
        if not self.key:
            self.key = node_key(self.label, self.name)

    @property
    def id(self) -> str:
        return f"{self.label}:{self.key}"

    def forms(self) -> set[str]:
        return {self.name} | self.aliases

    def as_dict(self) -> dict:
        props = dict(self.properties)
        if self.kind:
            props["kind"] = self.kind
        return {"id": self.id, "label": self.label, "name": self.name,
                "aliases": sorted(a for a in self.aliases if norm(a) != norm(self.name)),
                "properties": props, "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class Relationship:
    type: str
    source: str          # Node.id
    target: str          # Node.id
    properties: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def id(self) -> tuple[str, str, str]:
        return (self.type, self.source, self.target)

    def as_dict(self) -> dict:
        return {"type": self.type, "source": self.source, "target": self.target,
                "properties": dict(self.properties), "evidence": [e.as_dict() for e in self.evidence]}


def node_key(label: str, name: str) -> str:
    return norm(name)


@dataclass
class DocGraph:
    """The facts one document supports."""
    doc_id: str
    content_hash: str
    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[tuple, Relationship] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"doc_id": self.doc_id, "content_hash": self.content_hash,
                "nodes": [n.as_dict() for n in self.nodes.values()],
                "relationships": [r.as_dict() for r in self.relationships.values()]}


def rename_document(g: DocGraph, new_id: str) -> DocGraph:
    """The same graph under another document id: its Document node's key, every evidence
    item's doc_id and every key built on the Document node's id (a figure it reports)."""
    old = g.doc_id
    if new_id == old:
        return g
    old_nid, new_nid = f"Document:{old}", f"Document:{new_id}"
    fix = lambda evidence: [Evidence(new_id, e.start, e.end, e.sentence) if e.doc_id == old else e for e in evidence]
    nodes: dict[str, Node] = {}
    ids: dict[str, str] = {}
    for nid, n in g.nodes.items():
        if n.label == "Document" and n.key == old:
            n.key = new_id
        elif old_nid in n.key:
            n.key = n.key.replace(old_nid, new_nid)
        n.evidence = fix(n.evidence)
        ids[nid] = n.id
        nodes[n.id] = n
    rels: dict[tuple, Relationship] = {}
    for r in g.relationships.values():
        r.source, r.target = ids.get(r.source, r.source), ids.get(r.target, r.target)
        r.evidence = fix(r.evidence)
        rels[r.id] = r
    g.doc_id, g.nodes, g.relationships = new_id, nodes, rels
    return g
