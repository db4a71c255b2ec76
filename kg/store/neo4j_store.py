"""Neo4j store: the schema applied from schema/, an idempotent batched writer, retraction.

Configuration by the standard variables NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and
NEO4J_DATABASE; works against any Neo4j 5 (no APOC). Writes are parameterised UNWIND
batches grouped by label and relationship type, MERGEd on stable keys (label + key);
one document's facts commit in one managed transaction (retried on transient errors).

Every node and relationship keeps `docs` (supporting document ids) and its evidence as
parallel lists `evidence_docs`, `evidence_starts`, `evidence_ends`, `evidence_sentences`
(Neo4j properties cannot hold maps). A Document node records the facts its document
contributed (`fact_nodes`, `fact_rels`) so that retraction touches only those."""
from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.records import DocGraph, norm
from kg.resolve import NO_ALIAS_JOIN, specific
from kg.schema import load_schema
from kg.store.embedded import LoadResult

SEP = "\t"


@dataclass
class Neo4jConfig:
    uri: str
    user: str
    password: str
    database: str | None

    @classmethod
    def from_env(cls) -> "Neo4jConfig":
        return cls(os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
                   os.environ.get("NEO4J_USERNAME", "neo4j"),
                   os.environ.get("NEO4J_PASSWORD", ""),
                   os.environ.get("NEO4J_DATABASE") or None)


def _labels() -> list[str]:
    return list(load_schema().labels)


def _check_label(label: str) -> str:
    # labels and types are pasted into statements, so only the schema's own names may pass
    if label not in load_schema().labels:
        raise ValueError(f"unknown label {label!r}")
    return label


def _check_type(rtype: str) -> str:
    if rtype not in load_schema().relationships:
        raise ValueError(f"unknown relationship type {rtype!r}")
    return rtype


def schema_statements() -> list[str]:
    """Constraints and indexes, derived from schema/schema.toml, all idempotent."""
    stmts = []
    for label in _labels():
        low = label.lower()
        stmts.append(f"CREATE CONSTRAINT kg_{low}_key IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE")
        stmts.append(f"CREATE INDEX kg_{low}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
        stmts.append(f"CREATE TEXT INDEX kg_{low}_alias_text IF NOT EXISTS FOR (n:{label}) ON (n.alias_text)")
    stmts.append("CREATE FULLTEXT INDEX kg_names IF NOT EXISTS FOR (n:" + "|".join(_labels())
                 + ") ON EACH [n.name, n.alias_text]")
    return stmts


def _alias_text(forms: list[str]) -> str:
    """'|name|a|b|': the name and the specific aliases, for CONTAINS lookups through a text index."""
    keys = sorted({norm(forms[0])} | {norm(f) for f in forms[1:] if specific(f)})
    return "|" + "|".join(keys) + "|" if keys else ""


class Neo4jStore:
    def __init__(self, config: Neo4jConfig | None = None):
        from neo4j import GraphDatabase
        self.config = config or Neo4jConfig.from_env()
        auth = (self.config.user, self.config.password) if self.config.password else None
        # notifications (e.g. "property does not exist yet" on a fresh database) are noise here
        self.driver = GraphDatabase.driver(self.config.uri, auth=auth, notifications_min_severity="OFF")
        self.path = self.config.uri

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def session(self, write: bool = True):
        from neo4j import READ_ACCESS, WRITE_ACCESS
        return self.driver.session(database=self.config.database,
                                   default_access_mode=WRITE_ACCESS if write else READ_ACCESS)

    def apply_schema(self) -> None:
        with self.session() as s:
            for stmt in schema_statements():
                s.run(stmt).consume()
            s.run("CALL db.awaitIndexes(300)").consume()

    def clear(self) -> None:
        """Delete every node of the schema's labels (tests and benchmarks)."""
        with self.session() as s:
            for label in _labels():
                while s.run(f"MATCH (n:{label}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c").single()["c"]:
                    pass

    # -- writes ------------------------------------------------------------------------
    def load(self, graphs: list[DocGraph], result: LoadResult | None = None) -> LoadResult:
        result = result or LoadResult()
        with self.session() as s:
            for dg in graphs:
                outcome, nodes, rels = s.execute_write(_write_document, dg)
                result.nodes_added += nodes
                result.relationships_added += rels
                if outcome == "unchanged":
                    result.unchanged.append(dg.doc_id)
                    continue
                if outcome == "replaced":
                    result.replaced.append(dg.doc_id)
                result.loaded.append(dg.doc_id)
        return result

    def remove(self, doc_id: str) -> bool:
        with self.session() as s:
            return s.execute_write(_retract, doc_id) is not None

    def save(self) -> None:
        """Nothing to do: every document commits on its own."""

    # -- reads ---------------------------------------------------------------------------
    def stats(self) -> dict:
        with self.session(write=False) as s:
            labels = {}
            for label in _labels():
                c = s.run(f"MATCH (n:{label}) RETURN count(n) AS c").single()["c"]
                if c:
                    labels[label] = c
            types = {r["t"]: r["c"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")}
            docs = s.run("MATCH (d:Document) WHERE d.content_hash IS NOT NULL RETURN count(d) AS c").single()["c"]
        return {"documents": docs, "nodes": sum(labels.values()), "relationships": sum(types.values()),
                "labels": dict(sorted(labels.items())), "types": dict(sorted(types.items()))}

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph, in the embedded store's shape (for export and viz)."""
        g = nx.MultiDiGraph()
        with self.session(write=False) as s:
            for rec in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS p"):
                label = next((l for l in rec["labels"] if l in load_schema().labels), None)
                if label is None:
                    continue
                p = rec["p"]
                g.add_node(f"{label}:{p['key']}", **_node_data(label, p))
            for rec in s.run("MATCH (a)-[r]->(b) RETURN labels(a) AS la, a.key AS ka, type(r) AS t, "
                             "properties(r) AS p, labels(b) AS lb, b.key AS kb"):
                la = next(l for l in rec["la"] if l in load_schema().labels)
                lb = next(l for l in rec["lb"] if l in load_schema().labels)
                p = rec["p"]
                g.add_edge(f"{la}:{rec['ka']}", f"{lb}:{rec['kb']}", key=rec["t"],
                           properties=json.loads(p.get("properties_json") or "{}"), docs=list(p.get("docs", [])),
                           evidence=_evidence(p))
        return g


# -- transaction functions (retried by the driver as a whole) ---------------------------

def _evidence(p: dict) -> list[dict]:
    return [{"doc_id": d, "start": a, "end": b, "sentence": s} for d, a, b, s in
            zip(p.get("evidence_docs", []), p.get("evidence_starts", []), p.get("evidence_ends", []),
                p.get("evidence_sentences", []))]


def _node_data(label: str, p: dict) -> dict:
    return {"label": label, "key": p["key"], "name": p.get("name", ""), "kind": p.get("kind", ""),
            "aliases": list(p.get("aliases", [])), "properties": json.loads(p.get("properties_json") or "{}"),
            "docs": list(p.get("docs", [])), "evidence": _evidence(p)}


def _ev_lists(evidence) -> dict:
    return {"evidence_docs": [e.doc_id for e in evidence], "evidence_starts": [e.start for e in evidence],
            "evidence_ends": [e.end for e in evidence], "evidence_sentences": [e.sentence for e in evidence]}


def _write_document(tx, dg: DocGraph) -> tuple[str, int, int]:
    """Write one document's facts; returns (outcome, nodes created, relationships created)."""
    old = tx.run("MATCH (d:Document {key: $id}) RETURN d.content_hash AS h", id=dg.doc_id).single()
    outcome = "loaded"
    created = [0, 0]
    if old is not None and old["h"] is not None:
        if old["h"] == dg.content_hash:
            return "unchanged", 0, 0
        deleted = _retract(tx, dg.doc_id)
        created = [-deleted[0], -deleted[1]]
        outcome = "replaced"
    doc = dg.doc_id
    # resolve: the stored node each of the document's nodes is (same rules as the embedded store)
    key_of: dict[str, tuple[str, str]] = {}
    by_label: dict[str, list] = defaultdict(list)
    for node in dg.nodes.values():
        by_label[node.label].append(node)
    for label, nodes in by_label.items():
        _check_label(label)
        key_of.update({n.id: (label, k) for n, k in zip(nodes, _resolve_keys(tx, label, nodes))})
        node_rows = []
        for n in nodes:
            props = dict(n.properties)
            node_rows.append({
                "key": key_of[n.id][1], "name": n.name, "kind": n.kind or "",
                "aliases": sorted(n.aliases | {n.name}),
                "alias_docs": [doc + SEP + a for a in sorted(n.aliases | {n.name})],
                "props_json": json.dumps(props, ensure_ascii=False, sort_keys=True),
                "flat": {k: v for k, v in props.items() if isinstance(v, (str, int, float))},
                **_ev_lists(n.evidence)})
        created[0] += _count(tx.run(f"""
            UNWIND $rows AS row
            MERGE (n:{label} {{key: row.key}})
            ON CREATE SET n.name = row.name, n.kind = row.kind, n.aliases = [], n.alias_docs = [], n.docs = [],
                          n.evidence_docs = [], n.evidence_starts = [], n.evidence_ends = [], n.evidence_sentences = [],
                          n.properties_json = '{{}}'
            SET n += row.flat,
                n.kind = CASE WHEN n.kind = '' THEN row.kind ELSE n.kind END,
                n.alias_docs = n.alias_docs + [x IN row.alias_docs WHERE NOT x IN n.alias_docs],
                n.docs = CASE WHEN $doc IN n.docs THEN n.docs ELSE n.docs + $doc END,
                n.evidence_docs = n.evidence_docs + row.evidence_docs,
                n.evidence_starts = n.evidence_starts + row.evidence_starts,
                n.evidence_ends = n.evidence_ends + row.evidence_ends,
                n.evidence_sentences = n.evidence_sentences + row.evidence_sentences,
                n.properties_json = CASE WHEN n.properties_json = '{{}}' THEN row.props_json ELSE n.properties_json END
            WITH n
            WITH n, [x IN n.alias_docs | split(x, $sep)[1]] AS forms
            SET n.aliases = reduce(acc = [], a IN forms | CASE WHEN a IN acc OR a = n.name THEN acc ELSE acc + a END)
            """, rows=node_rows, doc=doc, sep=SEP), "nodes_created")
        _refresh_alias_text(tx, label, [r["key"] for r in node_rows])
    # relationships, grouped by (type, source label, target label) so MATCHes use the key constraints
    groups: dict[tuple, list] = defaultdict(list)
    fact_rels = []
    for rel in dg.relationships.values():
        sl, sk = key_of[rel.source]
        tl, tk = key_of[rel.target]
        groups[(_check_type(rel.type), sl, tl)].append({
            "s": sk, "t": tk, "props_json": json.dumps(rel.properties, ensure_ascii=False, sort_keys=True),
            "flat": {k: v for k, v in rel.properties.items() if isinstance(v, (str, int, float))},
            **_ev_lists(rel.evidence)})
        fact_rels.append(SEP.join([rel.type, sl, sk, tl, tk]))
    for (rtype, sl, tl), rows in groups.items():
        created[1] += _count(tx.run(f"""
            UNWIND $rows AS row
            MATCH (a:{sl} {{key: row.s}})
            MATCH (b:{tl} {{key: row.t}})
            MERGE (a)-[r:{rtype}]->(b)
            ON CREATE SET r.docs = [], r.evidence_docs = [], r.evidence_starts = [], r.evidence_ends = [],
                          r.evidence_sentences = [], r.properties_json = '{{}}'
            SET r += row.flat,
                r.docs = CASE WHEN $doc IN r.docs THEN r.docs ELSE r.docs + $doc END,
                r.evidence_docs = r.evidence_docs + row.evidence_docs,
                r.evidence_starts = r.evidence_starts + row.evidence_starts,
                r.evidence_ends = r.evidence_ends + row.evidence_ends,
                r.evidence_sentences = r.evidence_sentences + row.evidence_sentences,
                r.properties_json = CASE WHEN r.properties_json = '{{}}' THEN row.props_json ELSE r.properties_json END
            """, rows=rows, doc=doc), "relationships_created")
    fact_nodes = sorted({SEP.join(v) for v in key_of.values()})
    tx.run("MATCH (d:Document {key: $id}) SET d.content_hash = $h, d.fact_nodes = $n, d.fact_rels = $r",
           id=doc, h=dg.content_hash, n=fact_nodes, r=fact_rels)
    return outcome, created[0], created[1]


def _count(result, counter: str) -> int:
    return getattr(result.consume().counters, counter)


def _resolve_keys(tx, label: str, nodes) -> list[str]:
    """The key of the stored node each new node is: its own key if stored, else the node
    whose name or specific alias equals the new node's name or a specific alias of it."""
    keys = [n.key for n in nodes]
    stored = {r["k"] for r in tx.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS k", keys=keys)}
    if label in NO_ALIAS_JOIN:
        return keys
    todo = [{"i": i, "forms": [n.key] + sorted({norm(a) for a in n.aliases if specific(a)} - {n.key})}
            for i, n in enumerate(nodes) if n.key not in stored]
    if not todo:
        return keys
    for r in tx.run(f"""
            UNWIND $rows AS row
            UNWIND range(0, size(row.forms) - 1) AS j
            MATCH (n:{label}) WHERE n.alias_text CONTAINS ('|' + row.forms[j] + '|')
            WITH row, j, n ORDER BY j, n.key
            WITH row, collect(n.key)[0] AS hit
            RETURN row.i AS i, hit""", rows=todo):
        keys[r["i"]] = r["hit"]
    return keys


def _refresh_alias_text(tx, label: str, keys: list[str]) -> None:
    if label in NO_ALIAS_JOIN:
        return
    rows = [{"key": r["key"], "text": _alias_text([r["name"], *r["aliases"]])}
            for r in tx.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) RETURN n.key AS key, n.name AS name, "
                            f"n.aliases AS aliases", keys=keys)]
    tx.run(f"UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) SET n.alias_text = row.text", rows=rows)


def _retract(tx, doc_id: str) -> tuple[int, int] | None:
    """Drop what only this document supported; returns (nodes, relationships) deleted, or None."""
    rec = tx.run("MATCH (d:Document {key: $id}) WHERE d.content_hash IS NOT NULL "
                 "RETURN d.fact_nodes AS n, d.fact_rels AS r", id=doc_id).single()
    if rec is None:
        return None
    gone = [0, 0]
    rels: dict[tuple, list] = defaultdict(list)
    for line in rec["r"] or []:
        rtype, sl, sk, tl, tk = line.split(SEP)
        rels[(_check_type(rtype), _check_label(sl), _check_label(tl))].append({"s": sk, "t": tk})
    for (rtype, sl, tl), rows in rels.items():
        gone[1] += _count(tx.run(f"""
            UNWIND $rows AS row
            MATCH (a:{sl} {{key: row.s}})-[r:{rtype}]->(b:{tl} {{key: row.t}})
            WITH r, [i IN range(0, size(r.evidence_docs) - 1) WHERE r.evidence_docs[i] <> $doc] AS keep
            SET r.docs = [d IN r.docs WHERE d <> $doc],
                r.evidence_docs = [i IN keep | r.evidence_docs[i]],
                r.evidence_starts = [i IN keep | r.evidence_starts[i]],
                r.evidence_ends = [i IN keep | r.evidence_ends[i]],
                r.evidence_sentences = [i IN keep | r.evidence_sentences[i]]
            WITH r WHERE size(r.docs) = 0
            DELETE r
            """, rows=rows, doc=doc_id), "relationships_deleted")
    nodes: dict[str, list] = defaultdict(list)
    for line in rec["n"] or []:
        label, key = line.split(SEP)
        nodes[_check_label(label)].append(key)
    for label, keys in nodes.items():
        gone[0] += _count(tx.run(f"""
            UNWIND $keys AS k
            MATCH (n:{label} {{key: k}})
            WITH n, [i IN range(0, size(n.evidence_docs) - 1) WHERE n.evidence_docs[i] <> $doc] AS keep
            SET n.docs = [d IN n.docs WHERE d <> $doc],
                n.alias_docs = [x IN n.alias_docs WHERE split(x, $sep)[0] <> $doc],
                n.evidence_docs = [i IN keep | n.evidence_docs[i]],
                n.evidence_starts = [i IN keep | n.evidence_starts[i]],
                n.evidence_ends = [i IN keep | n.evidence_ends[i]],
                n.evidence_sentences = [i IN keep | n.evidence_sentences[i]]
            WITH n, [x IN n.alias_docs | split(x, $sep)[1]] AS forms
            SET n.aliases = reduce(acc = [], a IN forms | CASE WHEN a IN acc OR a = n.name THEN acc ELSE acc + a END)
            WITH n WHERE size(n.docs) = 0
            DETACH DELETE n
            """, keys=keys, doc=doc_id, sep=SEP), "nodes_deleted")
        _refresh_alias_text(tx, label, keys)
    # the Document node itself goes with its last supporting document
    tx.run("MATCH (d:Document {key: $id}) REMOVE d.content_hash, d.fact_nodes, d.fact_rels", id=doc_id)
    gone[0] += _count(tx.run("MATCH (d:Document {key: $id}) WHERE size(coalesce(d.docs, [])) = 0 DETACH DELETE d",
                             id=doc_id), "nodes_deleted")
    return gone[0], gone[1]
