"""The embedded default store: a networkx MultiDiGraph persisted as JSON on disk.

Every node and relationship records the documents that support it (`docs`) and
its evidence. Loading a document again with the same content changes nothing;
loading an edited one replaces its facts; facts other documents support stay.
Writes go to a temporary file and replace the store in one rename, so a failure
never leaves half a batch on disk."""
from __future__ import annotations

import gzip
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.records import MAX_EVIDENCE, DocGraph
from kg.resolve import AliasIndex, find_nodes

FILE = "graph.json.gz"
FORMAT = 1


@dataclass
class LoadResult:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    nodes_added: int = 0
    relationships_added: int = 0


def _support(d: dict, doc: str, evidence) -> None:
    """Record that `doc` supports an element, with its evidence up to the cap."""
    if not d["docs"] or d["docs"][-1] != doc:
        d["docs"].append(doc)
    room = MAX_EVIDENCE - len(d["evidence"])
    if room > 0:
        d["evidence"].extend(e.as_dict() for e in evidence[:room])


class EmbeddedStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.g = nx.MultiDiGraph()
        self.documents: dict[str, dict] = {}    # doc id → {content_hash, source, nodes, relationships}
        self.index = AliasIndex()
        if (self.path / FILE).exists():
            self._read()

    # -- persistence -----------------------------------------------------------
    def _read(self) -> None:
        with gzip.open(self.path / FILE, "rt", encoding="utf-8") as f:
            raw = json.load(f)
        if raw.get("format") != FORMAT:
            raise ValueError(f"{self.path}: store format {raw.get('format')} is not {FORMAT}")
        for n in raw["nodes"]:
            self.g.add_node(n["id"], **n["data"])
            self.index.add(n["data"]["label"], n["id"], n["data"]["name"], n["data"]["aliases"])
        for r in raw["relationships"]:
            self.g.add_edge(r["source"], r["target"], key=r["type"], **r["data"])
        self.documents = raw["documents"]

    def save(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        raw = {"format": FORMAT,
               "nodes": [{"id": n, "data": d} for n, d in self.g.nodes(data=True)],
               "relationships": [{"source": s, "target": t, "type": k, "data": d}
                                 for s, t, k, d in self.g.edges(keys=True, data=True)],
               "documents": self.documents}
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".graph-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as raw_f, gzip.GzipFile(fileobj=raw_f, mode="wb", compresslevel=5) as f:
                f.write(json.dumps(raw, ensure_ascii=False).encode("utf-8"))
            os.replace(tmp, self.path / FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- writes ------------------------------------------------------------------
    def load(self, graphs: list[DocGraph], result: LoadResult | None = None) -> LoadResult:
        """Merge documents' graphs into the store (in memory; call save() to persist)."""
        result = result or LoadResult()
        for dg in graphs:
            old = self.documents.get(dg.doc_id)
            if old and old["content_hash"] == dg.content_hash:
                result.unchanged.append(dg.doc_id)
                continue
            if old:
                self.remove(dg.doc_id)
                result.replaced.append(dg.doc_id)
            nodes, rels = self._merge(dg)
            result.nodes_added += nodes
            result.relationships_added += rels
            result.loaded.append(dg.doc_id)
        return result

    def _merge(self, dg: DocGraph) -> tuple[int, int]:
        """Add one document's facts; returns the nodes and relationships it created.
        (Counted here: a MultiDiGraph counts its edges by walking all of them.)"""
        doc = dg.doc_id
        ids: dict[str, str] = {}
        new_nodes = new_rels = 0
        for node in dg.nodes.values():
            nid = node.id if node.id in self.g else (self.index.find(node.label, node.id, node.name, node.aliases) or node.id)
            ids[node.id] = nid
            if nid not in self.g:
                new_nodes += 1
                self.g.add_node(nid, label=node.label, key=node.key, name=node.name, kind=node.kind,
                                aliases=[], alias_docs={}, properties={}, docs=[], evidence=[])
            d = self.g.nodes[nid]
            # a document is merged whole, so "already listed" can only mean "listed last":
            # checking the last entry keeps hub nodes (a national law in every letter) linear
            for a in sorted(node.aliases | {node.name}):
                docs = d["alias_docs"].setdefault(a, [])
                if not docs or docs[-1] != doc:
                    docs.append(doc)
            d["aliases"] = sorted(a for a in d["alias_docs"] if a != d["name"])
            if node.kind and not d["kind"]:
                d["kind"] = node.kind
            for k, v in node.properties.items():
                d["properties"].setdefault(k, v)
            _support(d, doc, node.evidence)
            self.index.add(node.label, nid, d["name"], d["aliases"])
        rels = []
        for rel in dg.relationships.values():
            s, t = ids.get(rel.source, rel.source), ids.get(rel.target, rel.target)
            if not self.g.has_edge(s, t, key=rel.type):
                new_rels += 1
                self.g.add_edge(s, t, key=rel.type, properties={}, docs=[], evidence=[])
            d = self.g.edges[s, t, rel.type]
            for k, v in rel.properties.items():
                d["properties"].setdefault(k, v)
            _support(d, doc, rel.evidence)
            rels.append([s, t, rel.type])
        self.documents[doc] = {"content_hash": dg.content_hash, "nodes": sorted(set(ids.values())),
                               "relationships": rels}
        return new_nodes, new_rels

    def remove(self, doc_id: str) -> bool:
        """Retract a document: drop the facts only it supported, and its evidence elsewhere."""
        entry = self.documents.pop(doc_id, None)
        if entry is None:
            return False
        for s, t, k in entry["relationships"]:
            if not self.g.has_edge(s, t, key=k):
                continue
            d = self.g.edges[s, t, k]
            d["docs"] = [x for x in d["docs"] if x != doc_id]
            d["evidence"] = [e for e in d["evidence"] if e["doc_id"] != doc_id]
            if not d["docs"]:
                self.g.remove_edge(s, t, key=k)
        for nid in entry["nodes"]:
            if nid not in self.g:
                continue
            d = self.g.nodes[nid]
            d["docs"] = [x for x in d["docs"] if x != doc_id]
            d["evidence"] = [e for e in d["evidence"] if e["doc_id"] != doc_id]
            for a in list(d["alias_docs"]):
                d["alias_docs"][a] = [x for x in d["alias_docs"][a] if x != doc_id]
                if not d["alias_docs"][a]:
                    del d["alias_docs"][a]
            if not d["docs"]:
                self.index.remove(d["label"], nid, [d["name"], *d["aliases"]])
                self.g.remove_node(nid)     # its remaining edges had no other support either
            else:
                gone = set(d["aliases"]) - set(d["alias_docs"])
                self.index.remove(d["label"], nid, gone)
                d["aliases"] = sorted(a for a in d["alias_docs"] if a != d["name"])
        return True

    # -- reads -------------------------------------------------------------------
    def stats(self) -> dict:
        labels: dict[str, int] = {}
        for _, d in self.g.nodes(data=True):
            labels[d["label"]] = labels.get(d["label"], 0) + 1
        types: dict[str, int] = {}
        for _, _, k in self.g.edges(keys=True):
            types[k] = types.get(k, 0) + 1
        return {"documents": len(self.documents), "nodes": self.g.number_of_nodes(),
                "relationships": self.g.number_of_edges(),
                "labels": dict(sorted(labels.items())), "types": dict(sorted(types.items()))}

    def find(self, name: str) -> list[str]:
        """Node ids called `name` (canonical name, else alias)."""
        return find_nodes(self.g, name)
