"""Neo4j store: the schema applied from schema/, an idempotent batched writer, retraction.

Configuration by the standard variables NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and
NEO4J_DATABASE; works against any Neo4j 5 (no APOC). Writes are parameterised UNWIND
batches grouped by label and relationship type, MERGEd on stable keys (label + key);
one document's facts commit in one managed transaction (retried on transient errors).

A node is linked to the Document of every letter that names it, (n)-[:SUPPORTED_BY {forms}]->(d),
with the forms that letter used; a relationship keeps `docs` (supporting document ids). Both
keep their evidence as parallel lists `evidence_docs`, `evidence_starts`, `evidence_ends`,
`evidence_sentences` (Neo4j properties cannot hold maps), capped at MAX_EVIDENCE. Support is
a relationship, not a list on the node, because a list is rewritten whole on every append:
a body named in 30,000 letters would cost every batch 30,000 entries (quadratic in the
corpus). A Document node records the relationships its document contributed (`fact_rels`)
so that retraction touches only those."""
from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from kg.records import MAX_EVIDENCE, DocGraph
from kg.resolve import NO_ALIAS_JOIN, AliasIndex, choose_name, choose_value, encode, joinable_aliases, specific_form
from kg.schema import load_schema
from kg.store.co_issuance import DERIVED, contribution, counts, delta, pair_values, year_span
from kg.store.embedded import LoadResult
from kg.store.tally import as_counter, as_lists, contents, merged, support_items

if TYPE_CHECKING:
    import networkx as nx

SEP = "\t"
STATS_SETTLE = 0.02     # seconds between two readings of the counts that must agree


@dataclass
class Neo4jConfig:
    uri: str
    user: str
    password: str
    database: str | None

    @classmethod
    def from_env(cls) -> "Neo4jConfig":
        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            password = _local_password(uri)
        return cls(uri, os.environ.get("NEO4J_USERNAME", "neo4j"), password or "",
                   os.environ.get("NEO4J_DATABASE") or None)


def _local_password(uri: str) -> str | None:
    """The password `kg neo4j start` wrote for its own server, when the URI is on loopback."""
    from urllib.parse import urlparse
    if urlparse(uri).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    from kg.server import LocalServer
    return LocalServer.from_env().password()


def _support() -> str:
    return load_schema().support_type


def _labels() -> list[str]:
    return list(load_schema().labels)


def _fact_types() -> list[str]:
    return [t for t in load_schema().relationships if t != _support()]


def stats_statement() -> str:
    """One statement for every count `stats` reports (labels and types are the schema's own)."""
    # every count from the count store, which a commit updates at once (the label index trails it:
    # a scan may miss a node the counts already have); the loaded letters are the Document nodes
    # less the few that letters only mention (no content hash), which a concurrent load rarely adds
    parts = [f"CALL {{ MATCH (n:{label}) RETURN count(n) AS l{i} }}" for i, label in enumerate(_labels())]
    parts += [f"CALL {{ MATCH ()-[r:{rtype}]->() RETURN count(r) AS t{i} }}" for i, rtype in enumerate(_fact_types())]
    parts.append("CALL { MATCH (d:Document) WHERE d.content_hash IS NULL RETURN count(d) AS mentioned }")
    cols = [f"l{i}" for i in range(len(_labels()))] + [f"t{i}" for i in range(len(_fact_types()))] + ["mentioned"]
    return "\n".join(parts) + "\nRETURN " + ", ".join(cols)


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
    for rtype, spec in load_schema().derived.items():
        for prop in spec.get("indexed", []):
            stmts.append(f"CREATE INDEX kg_{rtype.lower()}_{prop} IF NOT EXISTS FOR ()-[c:{rtype}]-() ON (c.{prop})")
    lookup = load_schema().lookup_label
    stmts.append(f"CREATE TEXT INDEX kg_{lookup.lower()}_forms IF NOT EXISTS FOR (n:{lookup}) ON (n.forms)")
    # the search index may trail a commit by a moment: writes need not wait for Lucene
    stmts.append("CREATE FULLTEXT INDEX kg_names IF NOT EXISTS FOR (n:" + "|".join(_labels())
                 + ") ON EACH [n.name, n.alias_text] OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}")
    return stmts


def _forms(name: str, aliases) -> str:
    """'|name|alias|…|': every form a node is known by, for lookups by any of them."""
    return "|" + "|".join([name, *[a for a in aliases if a != name]]) + "|"


FORMS_CYPHER = "reduce(s = '|' + n.name + '|', a IN n.aliases | s + a + '|')"


def _alias_text(name: str, aliases) -> str:
    """'|a|b|': the specific aliases other than the name itself (names are found by key),
    for CONTAINS lookups through a text index; empty for most nodes."""
    keys = joinable_aliases(name, aliases)
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
            # pairs written before first_year and last_year were kept get them (read off their years)
            if s.run(f"MATCH ()-[c:{DERIVED}]->() WHERE c.last_year IS NOT NULL RETURN 1 LIMIT 1").single() is None:
                s.run(f"MATCH ()-[c:{DERIVED}]->() WHERE c.last_year IS NULL AND size(c.years) > 0 "
                      f"CALL (c) {{ SET c.first_year = c.years[0], c.last_year = c.years[-1] }} "
                      f"IN TRANSACTIONS OF 20000 ROWS").consume()
            # a database loaded before CO_ISSUED was kept: made once from the facts
            if (s.run(f"MATCH ()-[c:{DERIVED}]->() RETURN count(c) > 0 AS any").single()["any"] is False
                    and s.run(f"MATCH (p:{_co_spec()['through']}) WHERE COUNT {{ (p)<-[:{_co_spec()['via']}]-() }} > 1 "
                              "RETURN 1 LIMIT 1").single() is not None):
                s.execute_write(rebuild_co_issued)

    def clear(self) -> None:
        """Delete every node of the schema's labels (tests and benchmarks)."""
        with self.session() as s:
            for label in _labels():
                while s.run(f"MATCH (n:{label}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c").single()["c"]:
                    pass

    # -- writes ------------------------------------------------------------------------
    def load(self, graphs: list[DocGraph], result: LoadResult | None = None, batch_size: int = 500) -> LoadResult:
        """Write documents in batches: one managed transaction per batch, so a batch (and
        every document in it) commits whole or not at all."""
        result = result or LoadResult()
        latest = {}
        for dg in graphs:
            latest[dg.doc_id] = dg          # the same document twice in one call: the last one counts
        graphs = list(latest.values())
        with self.session() as s:
            for i in range(0, len(graphs), batch_size):
                outcomes, nodes, rels = _with_retry(s, graphs[i:i + batch_size])
                result.nodes_added += nodes
                result.relationships_added += rels
                for doc_id, outcome in outcomes:
                    if outcome == "unchanged":
                        result.unchanged.append(doc_id)
                        continue
                    if outcome == "replaced":
                        result.replaced.append(doc_id)
                    result.loaded.append(doc_id)
        return result

    def remove(self, doc_id: str) -> bool:
        with self.session() as s:
            return s.execute_write(_remove, doc_id) is not None

    def save(self) -> None:
        """Nothing to do: every document commits on its own."""

    # -- reads ---------------------------------------------------------------------------
    def stats(self) -> dict:
        """Counts by label and by relationship type, all from one state of the graph even while
        another loader commits: one statement, in one read transaction, repeated until two
        readings agree; each count from Neo4j's count store rather than a scan."""
        stmt = stats_statement()
        with self.session(write=False) as s, s.begin_transaction() as tx:   # no retries: a down server is one line
            # Neo4j reads are read-committed: even one statement may count some labels before a
            # concurrent commit is applied and others after (the count store moves before the
            # label index). Read until two readings a moment apart agree.
            rec = tx.run(stmt).single()
            for _ in range(20):
                time.sleep(STATS_SETTLE)
                again = tx.run(stmt).single()
                if again == rec:
                    break
                rec = again
        labels = {label: rec[f"l{i}"] for i, label in enumerate(_labels()) if rec[f"l{i}"]}
        types = {rtype: rec[f"t{i}"] for i, rtype in enumerate(_fact_types()) if rec[f"t{i}"]}
        return {"documents": labels.get("Document", 0) - rec["mentioned"], "nodes": sum(labels.values()), "relationships": sum(types.values()),
                "labels": dict(sorted(labels.items())), "types": dict(sorted(types.items()))}

    def known_hashes(self) -> dict[str, str]:
        """{doc_id: content_hash} of every loaded document: kg load skips unchanged letters unread."""
        with self.session(write=False) as s:
            return {r["k"]: r["h"] for r in s.run("MATCH (d:Document) WHERE d.content_hash IS NOT NULL "
                                                 "RETURN d.key AS k, d.content_hash AS h")}

    def to_networkx(self) -> "nx.MultiDiGraph":
        """The whole graph, in the embedded store's shape (for export and viz)."""
        import networkx as nx
        g = nx.MultiDiGraph()
        with self.session(write=False) as s:
            for rec in s.run(f"MATCH (n) RETURN labels(n) AS labels, properties(n) AS p, "
                             f"COLLECT {{ MATCH (n)-[:{_support()}]->(d) RETURN d.key }} AS docs"):
                label = next((l for l in rec["labels"] if l in load_schema().labels), None)
                if label is None:
                    continue
                p = rec["p"]
                g.add_node(f"{label}:{p['key']}", **_node_data(label, p), docs=sorted(rec["docs"]))
            for rec in s.run("MATCH (a)-[r]->(b) WHERE type(r) <> $support AND NOT type(r) IN $derived "
                             "RETURN labels(a) AS la, a.key AS ka, "
                             "type(r) AS t, properties(r) AS p, labels(b) AS lb, b.key AS kb", support=_support(),
                             derived=list(load_schema().derived)):
                la = next(l for l in rec["la"] if l in load_schema().labels)
                lb = next(l for l in rec["lb"] if l in load_schema().labels)
                p = rec["p"]
                g.add_edge(f"{la}:{rec['ka']}", f"{lb}:{rec['kb']}", key=rec["t"],
                           properties=json.loads(p.get("properties_json") or "{}"), docs=list(p.get("docs", [])),
                           evidence=_evidence(p))
        return g


# -- transaction functions (each batch retried as a whole by _with_retry) ---------------

class LetterTooBig(Exception):
    """One letter's transaction needs more memory than the server grants a transaction."""


def _too_big(e) -> bool:
    return "MemoryPoolOutOfMemoryError" in (getattr(e, "code", None) or "")


def _with_retry(session, graphs, attempts: int = 6):
    """One batch in one explicit transaction, retried as a managed one would be (transient
    errors, a lost connection) with a growing pause; a node created by a concurrent loader
    between our read and our CREATE is a constraint error: read again and redo the batch.
    A batch whose transaction needs more memory than the server grants one (70% of its heap,
    or db.memory.transaction.max) is written as two halves, each a transaction of its own, at
    once: every letter still commits whole or not at all. (The driver's managed transactions
    would retry that error whole for 30 seconds before giving up.)"""
    from neo4j.exceptions import ConstraintError, DriverError, Neo4jError
    for attempt in range(attempts):
        try:
            with session.begin_transaction() as tx:
                out = _write_batch(tx, graphs)
                tx.commit()
            return out
        except ConstraintError:
            if attempt == attempts - 1:
                raise
        except (DriverError, Neo4jError) as e:
            if _too_big(e):
                if len(graphs) == 1:
                    raise LetterTooBig(
                        f"{graphs[0].doc_id}: one letter's facts need more memory than the Neo4j server grants a "
                        "transaction: restart it with a larger heap (kg neo4j stop; KG_NEO4J_HEAP=4g kg neo4j start), "
                        "or a larger KG_NEO4J_TX_MEMORY if you set one") from None
                half = len(graphs) // 2
                a, b = _with_retry(session, graphs[:half], attempts), _with_retry(session, graphs[half:], attempts)
                return a[0] + b[0], a[1] + b[1], a[2] + b[2]
            if not e.is_retryable() or attempt == attempts - 1:
                raise
            time.sleep(min(0.5 * 2 ** attempt, 8.0))


def _evidence(p: dict) -> list[dict]:
    return [{"doc_id": d, "start": a, "end": b, "sentence": s} for d, a, b, s in
            zip(p.get("evidence_docs", []), p.get("evidence_starts", []), p.get("evidence_ends", []),
                p.get("evidence_sentences", []))]


def _node_data(label: str, p: dict) -> dict:
    return {"label": label, "key": p["key"], "name": p.get("name", ""), "kind": p.get("kind", ""),
            "aliases": list(p.get("aliases", [])), "properties": json.loads(p.get("properties_json") or "{}"),
            "alternatives": {k: [{"value": v} for v in vs] for k, vs in json.loads(p.get("alternatives_json") or "{}").items()},
            "evidence": _evidence(p)}


def _write_batch(tx, graphs: list[DocGraph]):
    """Write documents' facts; returns ([(doc id, outcome)], nodes created, relationships created)."""
    old = {r["id"]: r["h"] for r in tx.run(
        "UNWIND $ids AS id MATCH (d:Document {key: id}) RETURN id, d.content_hash AS h",
        ids=[g.doc_id for g in graphs])}
    outcomes, todo, created = [], [], [0, 0]
    co = _CoIssued(tx)
    for dg in graphs:
        h = old.get(dg.doc_id)
        if h == dg.content_hash:
            outcomes.append((dg.doc_id, "unchanged"))
            continue
        if h is not None:
            co.note_document(dg.doc_id)
            gone = _retract(tx, dg.doc_id)
            created[0] -= gone[0]
            created[1] -= gone[1]
            outcomes.append((dg.doc_id, "replaced"))
        else:
            outcomes.append((dg.doc_id, "loaded"))
        todo.append(dg)
    if not todo:
        return outcomes, 0, 0
    resolver = _BatchResolver(_TxLookup(tx), todo)
    co.note(key for label, key in resolver.stored if label == co.through)
    node_rows, support_rows, rel_rows, registry = batch_rows(todo, resolver)
    for label, rows in node_rows.items():
        fresh, known = split_nodes(label, rows, resolver)
        # nodes no one has stored yet are CREATEd whole (the key constraint still guards against a
        # concurrent loader: the batch then fails with a constraint error and is retried)
        lookup = load_schema().lookup_label
        created[0] += _count(tx.run(f"UNWIND $rows AS row CREATE (n:{label}:{lookup}) SET n = row.props",
                                    rows=[{"props": _node_props(r)} for r in fresh]), "nodes_created")
        # a document is written once (an edited one is retracted first), so its entries are new:
        # lists are appended without membership tests
        created[0] += _count(tx.run(f"""
            UNWIND $rows AS row
            MERGE (n:{label} {{key: row.key}})
            ON CREATE SET n:{lookup}, n.name = row.name, n.kind = row.kind, n.aliases = [],
                          n.evidence_docs = [], n.evidence_starts = [], n.evidence_ends = [], n.evidence_sentences = [],
                          n.properties_json = row.props_json, n += row.flat
            SET n.name = row.name, n.kind = row.kind, n.aliases = row.aliases,
                n.properties_json = row.props_json, n.alternatives_json = row.alts_json,
                n.alias_text = row.alias_text, n.tally_items = row.tally_items, n.tally_counts = row.tally_counts,
                n.evidence_docs = (n.evidence_docs + row.evidence_docs)[0..$max_ev],
                n.evidence_starts = (n.evidence_starts + row.evidence_starts)[0..$max_ev],
                n.evidence_ends = (n.evidence_ends + row.evidence_ends)[0..$max_ev],
                n.evidence_sentences = (n.evidence_sentences + row.evidence_sentences)[0..$max_ev]
            SET n += row.flat
            SET n.forms = {FORMS_CYPHER}
            """, rows=known, max_ev=MAX_EVIDENCE), "nodes_created") if known else 0
    for (rtype, sl, tl), rows in rel_rows.items():
        fresh, known = split_rels(sl, tl, rows, resolver)
        created[1] += _count(tx.run(f"""
            UNWIND $rows AS row
            MATCH (a:{sl} {{key: row.s}})
            MATCH (b:{tl} {{key: row.t}})
            CREATE (a)-[r:{rtype}]->(b) SET r = row.props
            """, rows=[{"s": r["s"], "t": r["t"], "props": _rel_props(r)} for r in fresh]), "relationships_created")
        created[1] += _count(tx.run(f"""
            UNWIND $rows AS row
            MATCH (a:{sl} {{key: row.s}})
            MATCH (b:{tl} {{key: row.t}})
            MERGE (a)-[r:{rtype}]->(b)
            ON CREATE SET r.docs = [], r.evidence_docs = [], r.evidence_starts = [], r.evidence_ends = [],
                          r.evidence_sentences = [], r.properties_json = row.props_json, r += row.flat
            SET r.docs = r.docs + row.docs, r.prop_claims = nullIf(coalesce(r.prop_claims, []) + row.claims, []),
                r.evidence_docs = (r.evidence_docs + row.evidence_docs)[0..$max_ev],
                r.evidence_starts = (r.evidence_starts + row.evidence_starts)[0..$max_ev],
                r.evidence_ends = (r.evidence_ends + row.evidence_ends)[0..$max_ev],
                r.evidence_sentences = (r.evidence_sentences + row.evidence_sentences)[0..$max_ev]
            """, rows=known, max_ev=MAX_EVIDENCE), "relationships_created") if known else 0
        # a known relationship given properties: its choice made again from every letter's claims
        # (read after the write above, which holds its lock)
        claimed = [{"s": r["s"], "t": r["t"]} for r in known if r["claims"]]
        if claimed:
            _rechoose_rels(tx, rtype, sl, tl, claimed)
    # each letter's support of each node it names (the letter's own Document node included);
    # every result consumed here, so that running out of transaction memory is raised in the batch
    for label, rows in support_rows.items():
        tx.run(f"UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) MATCH (d:Document {{key: row.doc}}) "
               f"CREATE (n)-[:{_support()} {{forms: row.forms, said: row.said}}]->(d)",
               rows=[{**r, "said": encode(r["said"])} for r in rows.values()]).consume()
    tx.run("UNWIND $rows AS row MATCH (d:Document {key: row.id}) "
           "SET d.content_hash = row.h, d.fact_rels = row.r", rows=registry).consume()
    co.apply(node_rows.get(co.through, {}).keys())
    return outcomes, created[0], created[1]


def batch_rows(todo: list[DocGraph], resolver: "_BatchResolver"):
    """The rows a batch writes: nodes by label, each letter's support of the nodes it names,
    relationships by (type, source label, target label), and each letter's registry entry.
    Shared by the online writer and the bulk importer (kg/store/bulk.py), so both resolve alike."""
    # one row per node and per relationship for the whole batch: a body named in many letters
    # has its lists rewritten once per batch, not once per letter. This loop is most of a bulk
    # load's merge (some 150 records a letter): names are bound locally, labels and types
    # checked once each, and a node's forms kept as a set while the batch is read.
    node_rows: dict[str, dict] = defaultdict(dict)
    support_rows: dict[str, dict] = defaultdict(dict)      # label → (key, doc) → the forms that doc used
    rel_rows: dict[tuple, dict] = defaultdict(dict)
    registry = []
    labels, types = _Checked(_check_label), _Checked(_check_type)
    resolve, add_evidence, join = resolver.resolve, _add_evidence, SEP.join
    for dg in todo:
        doc = dg.doc_id
        key_of = {}
        for nid, n in dg.nodes.items():
            key = resolve(n)
            label = labels[n.label]
            key_of[nid] = (label, key)
            rows = node_rows[label]
            row = rows.get(key)
            props = n.properties
            if row is None:
                row = rows[key] = {
                    "key": key, "name": n.name, "kind": n.kind or "", "forms": set(),
                    "props_json": _json(props) if props else "{}", "names": set(), "kinds": set(),
                    "claims": defaultdict(set), "flat": _flat(props) if props else {}, "p0": props,
                    "tally": [],        # the items of its links in this batch (kg.store.tally)
                    "evidence_docs": [], "evidence_starts": [], "evidence_ends": [], "evidence_sentences": []}
            add_evidence(row, n.evidence)
            row["names"].add(n.name)
            if n.kind:
                row["kinds"].add(n.kind)
            if props:
                encoded = {k: encode(v) for k, v in props.items()}
                claims = row["claims"]
                for k, v in encoded.items():
                    claims[k].add(v)
            else:
                encoded = {}
            forms = sorted(n.aliases | {n.name})
            row["forms"].update(forms)
            sups = support_rows[label]
            sup = sups.get((key, doc))
            if sup is None:
                sup = sups[(key, doc)] = {"key": key, "doc": doc, "forms": forms, "said": {}}
            else:
                sup["forms"] += [a for a in forms if a not in sup["forms"]]
            _said(sup["said"], n, encoded)
            if not row["kind"]:
                row["kind"] = n.kind or ""
        fact_rels = []
        for rel in dg.relationships.values():
            sl, sk = key_of[rel.source]
            tl, tk = key_of[rel.target]
            rtype = types[rel.type]
            group = rel_rows[(rtype, sl, tl)]
            row = group.get((sk, tk))
            props = rel.properties
            if row is None:
                row = group[(sk, tk)] = {
                    "s": sk, "t": tk, "docs": [], "flat": _flat(props) if props else {}, "claims": [],
                    "props_json": _json(props) if props else "{}",
                    "evidence_docs": [], "evidence_starts": [], "evidence_ends": [], "evidence_sentences": []}
            row["docs"].append(doc)
            add_evidence(row, rel.evidence)
            if props:
                row["claims"] += [join([doc, k, encode(v)]) for k, v in sorted(props.items())]
            fact_rels.append(join([rtype, sl, sk, tl, tk]))
        registry.append({"id": doc, "h": dg.content_hash, "r": fact_rels})
    # each support link counted once in its node's tally, with all it says (a letter naming a
    # body twice has one link)
    for label, sups in support_rows.items():
        rows = node_rows[label]
        for sup in sups.values():
            rows[sup["key"]]["tally"] += support_items(sup["forms"], sup["said"])
    return node_rows, support_rows, rel_rows, registry


class _Checked(dict):
    """name → name, each checked once (by `check`) on first use."""

    def __init__(self, check):
        super().__init__()
        self.check = check

    def __missing__(self, name: str) -> str:
        self[name] = self.check(name)
        return name


def split_nodes(label: str, rows: dict, resolver: "_BatchResolver") -> tuple[list, list]:
    """(fresh, known) node rows: those no one has stored yet and those to be merged into a
    stored node; sets each row's alias_text from the stored name and aliases and its forms."""
    fresh, known = [], []
    for key, row in rows.items():
        stored = resolver.stored.get((label, key))
        if "names" in row:             # chosen once, from what the batch's letters and the store say
            _choose_node(row, stored)
            # a stored node written before tallies were kept has none: it gets one when a
            # retraction first reads its links
            row["tally_items"], row["tally_counts"] = (
                (None, None) if stored and stored.get("tally") is None else
                merged(stored and stored["tally"], row["tally"]))
            for k in ("names", "kinds", "claims", "forms", "p0", "tally"):     # working state, not sent
                del row[k]
        row["alias_text"] = "" if label in NO_ALIAS_JOIN else _alias_text(row["name"], row["aliases"])
        (known if stored else fresh).append(row)
    return fresh, known


def split_rels(sl: str, tl: str, rows: dict, resolver: "_BatchResolver") -> tuple[list, list]:
    """(fresh, known) relationship rows: a relationship with a new end cannot exist yet."""
    fresh, known = [], []
    stored = resolver.stored
    for r in rows.values():
        (known if (sl, r["s"]) in stored and (tl, r["t"]) in stored else fresh).append(r)
    return fresh, known


EVIDENCE_KEYS = ("evidence_docs", "evidence_starts", "evidence_ends", "evidence_sentences")


def _node_props(row: dict) -> dict:
    """All properties of a node written for the first time."""
    return {**{k: v for k, v in row["flat"].items() if v is not None}, "key": row["key"], "name": row["name"],
            "kind": row["kind"], "aliases": row["aliases"], "alias_text": row["alias_text"],
            "forms": _forms(row["name"], row["aliases"]), "properties_json": row["props_json"],
            "alternatives_json": row["alts_json"], "tally_items": row["tally_items"],
            "tally_counts": row["tally_counts"], **{k: row[k] for k in EVIDENCE_KEYS}}


def _rel_props(row: dict) -> dict:
    flat, props, alts = _choose_claims(row["claims"])     # no claims: choose_from_claims returns at once
    # prop_claims only where a letter claimed a property: most relationships carry none, and an
    # empty list is a property Neo4j would store (and the offline importer could not write)
    claims = {"prop_claims": row["claims"]} if row["claims"] else {}
    return {**flat, "docs": row["docs"], "properties_json": props, "alternatives_json": alts,
            **claims, **{k: row[k] for k in EVIDENCE_KEYS}}


# -- every property is evidence: what each letter said, and the choice made from it ---------

def _said(said: dict, n, encoded: dict) -> None:
    """What one letter says of a node (kept on its SUPPORTED_BY link, for retraction);
    `encoded`: the node's properties, each value encoded (kg.resolve.encode)."""
    if not said:        # the first node of a letter that names it (nearly always the only one)
        said["names"] = [n.name]
        if n.kind:
            said["kinds"] = [n.kind]
        if encoded:
            said["props"] = {k: [v] for k, v in encoded.items()}
        return
    names = said.get("names")
    if names is None:
        names = said["names"] = []
    if n.name not in names:
        names.append(n.name)
    if n.kind:
        kinds = said.setdefault("kinds", [])
        if n.kind not in kinds:
            kinds.append(n.kind)
    if encoded:
        props = said.setdefault("props", {})
        for k, v in encoded.items():
            vs = props.setdefault(k, [])
            if v not in vs:
                vs.append(v)


def _choice(names, kinds, claims: dict) -> dict:
    """The shown values of a node from what its letters say (the embedded store's rules:
    the longest name, the first kind and property value in code-point order, the rest alternatives)."""
    kinds = sorted(k for k in kinds if k)
    props, alts = {}, {}
    for k, vs in claims.items():
        vs = sorted(vs)
        if not vs:
            continue
        props[k] = orjson.loads(choose_value(vs))     # values encoded by kg.resolve.encode (orjson)
        if len(vs) > 1:
            alts[k] = [orjson.loads(v) for v in vs[1:]]
    if len(kinds) > 1:
        alts["kind"] = kinds[1:]
    return {"name": choose_name(names), "kind": kinds[0] if kinds else "", "props": props, "alts": alts}


def _choose_node(row: dict, stored) -> None:
    if len(row["names"]) == 1 and len(row["kinds"]) <= 1 and len(row["claims"]) == len(row["p0"]) \
            and all(len(v) == 1 for v in row["claims"].values()):
        # nothing to choose (most rows: one letter, or letters that agree, with the store too):
        # the values are the first letter's, as the row was made (the general path below gives the same)
        name = next(iter(row["names"]))
        kind = next(iter(row["kinds"]), "")
        if not stored:
            row["name"], row["kind"] = name, kind
            row["aliases"] = sorted(row["forms"] - {name})
            row["alts_json"] = "{}"
            return
        if (name == stored["name"] and kind in ("", stored["kind"]) and row["props_json"] == (stored["props"] or "{}")
                and stored["alts"] in (None, "{}")):
            row["name"], row["kind"] = name, stored["kind"]
            row["aliases"] = sorted((row["forms"] | {name, *stored["aliases"]}) - {name})
            row["alts_json"] = "{}"
            row["flat"] = {**{k: None for k in row["p0"]}, **row["flat"]}     # as the general path: stored keys first
            return
    _choose_general(row, stored)


def _choose_general(row: dict, stored) -> None:
    """_choose_node from every name, kind and claim of the batch's letters and the stored node."""
    names, kinds = set(row["names"]), set(row["kinds"])
    claims = {k: set(v) for k, v in row["claims"].items()}
    forms = set(row["forms"])
    old_props = {}
    if stored:
        names.add(stored["name"])
        forms |= {stored["name"], *stored["aliases"]}
        if stored["kind"]:
            kinds.add(stored["kind"])
        old_props = json.loads(stored["props"] or "{}")
        for k, v in old_props.items():
            claims.setdefault(k, set()).add(encode(v))
        for k, vs in json.loads(stored["alts"] or "{}").items():
            if k == "kind":
                kinds |= set(vs)
            else:
                claims.setdefault(k, set()).update(encode(v) for v in vs)
    c = _choice(names, kinds, claims)
    row["name"], row["kind"] = c["name"], c["kind"]
    row["aliases"] = sorted(forms - {c["name"]})
    row["props_json"], row["alts_json"] = _json(c["props"]), _json(c["alts"])
    row["flat"] = {**{k: None for k in old_props}, **_flat(c["props"])}


def claims_by_key(claims: list[str], by: dict | None = None) -> dict[str, set]:
    """Claims ('doc<TAB>key<TAB>json value') as the values claimed for each key (added to `by`)."""
    by = defaultdict(set) if by is None else by
    for c in claims:
        _, k, v = c.split(SEP, 2)
        by[k].add(v)
    return by


def choose_from_claims(by: dict[str, set]) -> tuple[dict, str, str]:
    if not by:
        return {}, "{}", "{}"       # most relationships carry no properties
    c = _choice([""], [], by)
    return _flat(c["props"]), _json(c["props"]), _json(c["alts"])


def _choose_claims(claims: list[str]) -> tuple[dict, str, str]:
    """A relationship's properties from its claims ('doc<TAB>key<TAB>json value')."""
    return choose_from_claims(claims_by_key(claims))


def _rechoose_rels(tx, rtype: str, sl: str, tl: str, ends: list[dict]) -> None:
    rows = []
    for rec in tx.run(f"UNWIND $rows AS row MATCH (a:{sl} {{key: row.s}})-[r:{rtype}]->(b:{tl} {{key: row.t}}) "
                      f"RETURN row.s AS s, row.t AS t, r.prop_claims AS claims, r.properties_json AS old", rows=ends):
        flat, props, alts = _choose_claims(rec["claims"] or [])
        gone = {k: None for k in json.loads(rec["old"] or "{}") if k not in flat}
        rows.append({"s": rec["s"], "t": rec["t"], "flat": {**gone, **flat}, "props": props, "alts": alts})
    tx.run(f"UNWIND $rows AS row MATCH (a:{sl} {{key: row.s}})-[r:{rtype}]->(b:{tl} {{key: row.t}}) "
           f"SET r += row.flat, r.properties_json = row.props, r.alternatives_json = row.alts", rows=rows)


# json.dumps(…, ensure_ascii=False, sort_keys=True) with its encoder made once, not at every call
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json(props: dict) -> str:
    # most facts have no properties: skip the encoder for them (it was a tenth of the writer's time)
    return _JSON(props) if props else "{}"


def _flat(props: dict) -> dict:
    """The properties Neo4j can hold as they are (researchers query these directly)."""
    return {k: v for k, v in props.items() if isinstance(v, (str, int, float))}


def _add_evidence(row: dict, evidence) -> None:
    room = MAX_EVIDENCE - len(row["evidence_docs"])
    if room > 0 and evidence:
        if len(evidence) == 1:          # most facts (nine in ten) have one sentence of evidence
            doc, start, end, sentence = evidence[0]
            row["evidence_docs"].append(doc)
            row["evidence_starts"].append(start)
            row["evidence_ends"].append(end)
            row["evidence_sentences"].append(sentence)
            return
        docs, starts, ends, sentences = zip(*evidence[:room])     # Evidence tuples as four columns
        row["evidence_docs"] += docs
        row["evidence_starts"] += starts
        row["evidence_ends"] += ends
        row["evidence_sentences"] += sentences


def _count(result, counter: str) -> int:
    return getattr(result.consume().counters, counter)


TALLY_RETURN = "n.tally_items AS tally_items, n.tally_counts AS tally_counts"


def _stored_tally(h: dict) -> tuple | None:
    return None if h.get("tally_items") is None else (h["tally_items"], h["tally_counts"])


class _TxLookup:
    """The stored nodes a batch may resolve to, read in its transaction: [{key, name, aliases}]."""

    def __init__(self, tx):
        self.tx = tx

    def by_keys(self, label: str, keys: list[str]) -> list[dict]:
        # the write lock first (SET), then the values: a concurrent loader's choice cannot be lost
        return self.tx.run(f"UNWIND $ks AS k MATCH (n:{label} {{key: k}}) SET n.kg_lock = true REMOVE n.kg_lock "
                           f"RETURN n.key AS key, n.name AS name, n.aliases AS aliases, n.kind AS kind, "
                           f"n.properties_json AS props, n.alternatives_json AS alts, {TALLY_RETURN}", ks=keys).data()

    def by_alias_forms(self, label: str, forms: list[str]) -> list[dict]:
        """Nodes with one of these forms among their specific aliases (alias_text)."""
        return self.tx.run(f"UNWIND $fs AS f MATCH (n:{label}) WHERE n.alias_text CONTAINS ('|' + f + '|') "
                           f"WITH DISTINCT n SET n.kg_lock = true REMOVE n.kg_lock "
                           f"RETURN n.key AS key, n.name AS name, n.aliases AS aliases, n.kind AS kind, "
                           f"n.properties_json AS props, n.alternatives_json AS alts, {TALLY_RETURN}", fs=forms).data()


class _BatchResolver:
    """Cross-document resolution for a batch, with the embedded store's rules: a node is
    the stored (or earlier-in-batch) node with its key, else the one whose name or
    specific alias equals its name or a specific alias of it. The stored candidates are
    fetched once per label for the whole batch."""

    def __init__(self, lookup, graphs: list[DocGraph]):
        self.index = AliasIndex()
        self.keys: set[tuple[str, str]] = set()
        self.stored: dict[tuple[str, str], tuple[str, list]] = {}   # (label, key) → stored name, aliases
        nodes: dict[str, list] = defaultdict(list)
        labels = _Checked(_check_label)
        for dg in graphs:
            for n in dg.nodes.values():
                nodes[labels[n.label]].append(n)
        for label, ns in nodes.items():
            forms = {n.key for n in ns}
            if label not in NO_ALIAS_JOIN:
                specific_forms = [{f for a in n.aliases if (f := specific_form(a))} for n in ns]
                forms = forms.union(*specific_forms)
            hits = lookup.by_keys(label, sorted(forms))
            if label not in NO_ALIAS_JOIN:
                # a node not stored under its own key may be a stored node's alias
                found = {h["key"] for h in hits}
                look = set()
                for n, fs in zip(ns, specific_forms):
                    if n.key not in found:
                        look.add(n.key)
                        look |= fs
                look = sorted(look)
                if look:
                    hits += lookup.by_alias_forms(label, look)
            for h in sorted(hits, key=lambda h: h["key"]):
                if (label, h["key"]) not in self.keys:
                    self.keys.add((label, h["key"]))
                    self.stored[(label, h["key"])] = {"name": h["name"], "aliases": h["aliases"] or [],
                                                      "kind": h.get("kind") or "", "props": h.get("props"),
                                                      "alts": h.get("alts"), "tally": _stored_tally(h)}
                    self.index.add(label, f"{label}:{h['key']}", h["name"], h["aliases"] or [], h.get("joinable"))

    def resolve(self, n) -> str:
        if (n.label, n.key) in self.keys:
            return n.key
        joinable = None if n.label in NO_ALIAS_JOIN else joinable_aliases(n.name, n.aliases)
        hit = self.index.find(n.label, n.id, n.name, n.aliases, joinable)
        if hit:
            self.index.add_aliases(n.label, hit, n.aliases | {n.name}, name=n.name)
            return hit.split(":", 1)[1]
        self.keys.add((n.label, n.key))
        self.index.add(n.label, n.id, n.name, n.aliases, joinable)
        return n.key


def _tally_from_links(tx, label: str, keys: list[str]) -> dict:
    """The tallies of nodes written before tallies were kept, made once from their links."""
    out = {}
    for r in tx.run(f"UNWIND $keys AS k MATCH (n:{label} {{key: k}}) "
                    f"RETURN k, COLLECT {{ MATCH (n)-[s:{_support()}]->() RETURN [s.forms, s.said] }} AS links", keys=keys):
        tally: Counter = Counter()
        for forms, said in r["links"]:
            tally.update(support_items(forms, orjson.loads(said) if said else None))
        out[r["k"]] = tally
    return out


def _retracted_row(label: str, r, tally: Counter) -> dict:
    """A node's values once a letter is retracted, chosen from what the letters left say
    (the rules of _choice); with a link that does not say, as they were."""
    names, kinds, claims, forms, unknown = contents(tally)
    if unknown:
        name, kind, props, alts, flat = r["name"], r["kind"], r["props"], r["alts"], {}
    else:
        c = _choice(names or {r["name"]}, kinds, claims)
        name, kind, props, alts = c["name"], c["kind"], _json(c["props"]), _json(c["alts"])
        flat = {**{k: None for k in json.loads(r["props"] or "{}") if k not in c["props"]}, **_flat(c["props"])}
    aliases = sorted(forms - {name})
    items, counts = as_lists(tally)
    return {"key": r["key"], "name": name, "kind": kind, "aliases": aliases, "props": props, "alts": alts,
            "flat": flat, "items": items, "counts": counts,
            "alias_text": "" if label in NO_ALIAS_JOIN else _alias_text(name, aliases)}


def _retract(tx, doc_id: str) -> tuple[int, int] | None:
    """Drop what only this document supported; returns (nodes, relationships) deleted, or None."""
    rec = tx.run("MATCH (d:Document {key: $id}) WHERE d.content_hash IS NOT NULL "
                 "RETURN d.fact_rels AS r", id=doc_id).single()
    if rec is None:
        return None
    gone = [0, 0]
    rels: dict[tuple, list] = defaultdict(list)
    for line in rec["r"] or []:
        rtype, sl, sk, tl, tk = line.split(SEP)
        rels[(_check_type(rtype), _check_label(sl), _check_label(tl))].append({"s": sk, "t": tk})
    for (rtype, sl, tl), rows in rels.items():
        res = tx.run(f"""
            UNWIND $rows AS row
            MATCH (a:{sl} {{key: row.s}})-[r:{rtype}]->(b:{tl} {{key: row.t}})
            WITH r, row, [i IN range(0, size(r.evidence_docs) - 1) WHERE r.evidence_docs[i] <> $doc] AS keep,
                 any(c IN coalesce(r.prop_claims, []) WHERE c STARTS WITH ($doc + $sep)) AS claimed
            SET r.docs = [d IN r.docs WHERE d <> $doc],
                r.prop_claims = nullIf([c IN coalesce(r.prop_claims, []) WHERE NOT c STARTS WITH ($doc + $sep)], []),
                r.evidence_docs = [i IN keep | r.evidence_docs[i]],
                r.evidence_starts = [i IN keep | r.evidence_starts[i]],
                r.evidence_ends = [i IN keep | r.evidence_ends[i]],
                r.evidence_sentences = [i IN keep | r.evidence_sentences[i]]
            WITH r, row, claimed, size(r.docs) = 0 AS unsupported
            FOREACH (_ IN CASE WHEN unsupported THEN [1] ELSE [] END | DELETE r)
            WITH row WHERE claimed AND NOT unsupported
            RETURN row.s AS s, row.t AS t
            """, rows=rows, doc=doc_id, sep=SEP)
        # only a relationship this letter gave a property has its choice to make again
        claimed = [{"s": x["s"], "t": x["t"]} for x in res]
        gone[1] += _count(res, "relationships_deleted")
        if claimed:
            _rechoose_rels(tx, rtype, sl, tl, claimed)
    # the nodes it named lose its support, and what it said of them (kg.store.tally); those no
    # other letter names go
    nodes: dict[str, list] = defaultdict(list)
    for r in tx.run(f"""
            MATCH (n)-[s:{_support()}]->(:Document {{key: $id}})
            SET n.kg_lock = true REMOVE n.kg_lock
            WITH n, s, s.forms AS forms, s.said AS said
            DELETE s
            RETURN [l IN labels(n) WHERE l <> $lookup][0] AS label, n.key AS key, n.name AS name, n.kind AS kind,
                   n.properties_json AS props, n.alternatives_json AS alts, {TALLY_RETURN}, forms, said
            """, id=doc_id, lookup=load_schema().lookup_label):
        nodes[_check_label(r["label"])].append(r)
    for label, recs in nodes.items():
        untallied = [r["key"] for r in recs if r["tally_items"] is None]
        tallies = _tally_from_links(tx, label, untallied) if untallied else {}
        rows = []
        for r in recs:
            if r["key"] in tallies:          # made from the links left: this letter's is gone already
                tally = tallies[r["key"]]
            else:
                tally = as_counter(r["tally_items"], r["tally_counts"])
                tally.subtract(support_items(r["forms"], orjson.loads(r["said"]) if r["said"] else None))
            rows.append(_retracted_row(label, r, tally))
        gone[0] += _count(tx.run(f"""
            UNWIND $rows AS row
            MATCH (n:{label} {{key: row.key}})
            WITH n, row, [i IN range(0, size(n.evidence_docs) - 1) WHERE n.evidence_docs[i] <> $doc] AS keep
            SET n.evidence_docs = [i IN keep | n.evidence_docs[i]],
                n.evidence_starts = [i IN keep | n.evidence_starts[i]],
                n.evidence_ends = [i IN keep | n.evidence_ends[i]],
                n.evidence_sentences = [i IN keep | n.evidence_sentences[i]]
            SET n += row.flat, n.name = row.name, n.kind = row.kind, n.aliases = row.aliases,
                n.properties_json = row.props, n.alternatives_json = row.alts, n.alias_text = row.alias_text,
                n.tally_items = row.items, n.tally_counts = row.counts
            SET n.forms = {FORMS_CYPHER}
            WITH n WHERE NOT EXISTS {{ (n)-[:{_support()}]->() }}
            DETACH DELETE n
            """, rows=rows, doc=doc_id), "nodes_deleted")
    tx.run("MATCH (d:Document {key: $id}) REMOVE d.content_hash, d.fact_rels", id=doc_id)
    return gone[0], gone[1]


# -- CO_ISSUED, kept at load (kg.store.co_issuance; schema/schema.toml [derived.CO_ISSUED]) ----------

# a pair's properties from a row {n, years, first, last} (a null first/last year is no property)
CO_PROPS = "{policies: row.n, years: row.years, first_year: row.first, last_year: row.last}"


def _co_spec() -> dict:
    return load_schema().derived[DERIVED]


class _CoIssued:
    """CO_ISSUED kept by one write transaction: the contribution of each policy the transaction
    may change is read (its node locked) before the change, and again at the end; each pair's
    relationship gets the difference. Issuers are told apart by element id, so a body deleted
    and written again in one transaction is a new one (its old relationships went with it)."""

    def __init__(self, tx):
        self.tx = tx
        spec = _co_spec()
        self.through, self.via = _check_label(spec["through"]), _check_type(spec["via"])
        self.before: dict[str, tuple | None] = {}

    def _read(self, keys: list[str]) -> dict[str, tuple | None]:
        out = {}
        for r in self.tx.run(f"UNWIND $keys AS k MATCH (p:{self.through} {{key: k}}) "
                             f"SET p.kg_lock = true REMOVE p.kg_lock "
                             f"RETURN k, p.date AS date, COLLECT {{ MATCH (a)-[:{self.via}]->(p) RETURN elementId(a) }} AS issuers",
                             keys=keys):
            out[r["k"]] = contribution(r["issuers"], r["date"])
        return out

    def note(self, keys) -> None:
        """Before the transaction changes these policies."""
        todo = sorted({k for k in keys if k not in self.before})
        if todo:
            got = self._read(todo)
            for k in todo:
                self.before[k] = got.get(k)

    def note_document(self, doc_id: str) -> None:
        """Before a letter is retracted: the policies it names."""
        self.note(r["k"] for r in self.tx.run(
            f"MATCH (p:{self.through})-[:{_support()}]->(:Document {{key: $id}}) RETURN p.key AS k", id=doc_id))

    def apply(self, written=()) -> None:
        """After the writes: `written`, the policy keys the transaction wrote (new ones had nothing before)."""
        keys = sorted(set(self.before) | set(written))
        if not keys:
            return
        after = self._read(keys)
        change: Counter = Counter()
        for k in keys:
            change.update(delta(self.before.get(k), after.get(k)))
        by_pair: dict[tuple, Counter] = defaultdict(Counter)
        for (a, b, year, dated), n in change.items():
            if n:
                by_pair[(a, b)][(year, dated)] += n
        if not by_pair:
            return
        sets, new, gone = [], [], []
        lookup = load_schema().lookup_label
        # the write lock of every end first (each once, in one order), then the pairs' counts:
        # a concurrent loader's change to a pair cannot be lost
        self.tx.run("UNWIND $ids AS id MATCH (n) WHERE elementId(n) = id SET n.kg_lock = true REMOVE n.kg_lock",
                    ids=sorted({x for pair in by_pair for x in pair})).consume()
        for r in self.tx.run(f"""
                UNWIND $rows AS row
                MATCH (a) WHERE elementId(a) = row.a
                MATCH (b) WHERE elementId(b) = row.b
                OPTIONAL MATCH (a)-[c:{DERIVED}]-(b)
                RETURN row.a AS a, row.b AS b, elementId(c) AS c, c.policies AS n, c.years AS years,
                       [l IN labels(a) WHERE l <> $lookup][0] AS la, a.key AS ka,
                       [l IN labels(b) WHERE l <> $lookup][0] AS lb, b.key AS kb""",
                rows=[{"a": a, "b": b} for a, b in sorted(by_pair)], lookup=lookup):
            have: Counter = Counter()
            if r["c"] is not None:
                have.update((y, True) for y in r["years"] or [])
                have[(0, False)] += (r["n"] or 0) - len(r["years"] or [])
            have.update(by_pair[(r["a"], r["b"])])
            n, years = pair_values({k: v for k, v in have.items() if v > 0})
            first, last = year_span(years)
            if r["c"] is not None:
                (sets if n else gone).append({"c": r["c"], "n": n, "years": years, "first": first, "last": last})
            elif n:
                ends = sorted([((r["la"], r["ka"]), r["a"]), ((r["lb"], r["kb"]), r["b"])])
                new.append({"s": ends[0][1], "t": ends[1][1], "n": n, "years": years, "first": first, "last": last})
        if sets:
            self.tx.run(f"UNWIND $rows AS row MATCH ()-[c:{DERIVED}]->() WHERE elementId(c) = row.c "
                        f"SET c.policies = row.n, c.years = row.years, c.first_year = row.first, c.last_year = row.last",
                        rows=sets).consume()
        if new:
            self.tx.run(f"UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.t "
                        f"CREATE (a)-[:{DERIVED} {CO_PROPS}]->(b)", rows=new).consume()
        if gone:
            self.tx.run(f"UNWIND $rows AS row MATCH ()-[c:{DERIVED}]->() WHERE elementId(c) = row.c DELETE c",
                        rows=gone).consume()


def _remove(tx, doc_id: str):
    """`kg remove`: a letter retracted, CO_ISSUED kept."""
    co = _CoIssued(tx)
    co.note_document(doc_id)
    gone = _retract(tx, doc_id)
    co.apply()
    return gone


def co_issued_rows(policies) -> list[dict]:
    """The CO_ISSUED relationships of a whole graph, from scratch: `policies` gives, for each
    policy, its issuers as (label, key) and its date. Each pair goes from the first end in
    (label, key) order to the other, as the writer creates it."""
    # the counts by (a, b, year, dated) in order: each pair's entries follow one another, its
    # years ascending (pair_values' result, without a Counter and a sort per pair: 1.5 million
    # pairs at 100,000 letters)
    pairs = []
    last_a = last_b = years = None
    for (a, b, year, dated), n in sorted(counts(contribution(issuers, date) for issuers, date in policies).items()):
        if b != last_b or a != last_a:
            last_a, last_b, years = a, b, []
            pairs.append([a, b, 0, years])
        pairs[-1][2] += n
        if dated:
            years += [year] * n
    rows = []
    for a, b, n, years in pairs:
        first, last = year_span(years)
        rows.append({"sl": a[0], "sk": a[1], "tl": b[0], "tk": b[1], "n": n, "years": years, "first": first, "last": last})
    return rows


def rebuild_co_issued(tx) -> int:
    """Every CO_ISSUED relationship made again from the facts; returns how many there are."""
    spec = _co_spec()
    through, via = _check_label(spec["through"]), _check_type(spec["via"])
    lookup = load_schema().lookup_label
    tx.run(f"MATCH ()-[c:{DERIVED}]->() DELETE c").consume()
    policies = [([tuple(x) for x in r["issuers"]], r["date"]) for r in tx.run(
        f"MATCH (p:{through}) WHERE COUNT {{ (p)<-[:{via}]-() }} > 1 "
        f"RETURN p.date AS date, COLLECT {{ MATCH (a)-[:{via}]->(p) "
        f"RETURN [[l IN labels(a) WHERE l <> $lookup][0], a.key] }} AS issuers", lookup=lookup)]
    rows = co_issued_rows(policies)
    groups: dict[tuple, list] = defaultdict(list)
    for r in rows:
        groups[(_check_label(r["sl"]), _check_label(r["tl"]))].append(r)
    for (sl, tl), part in groups.items():
        for i in range(0, len(part), 10_000):
            tx.run(f"UNWIND $rows AS row MATCH (a:{sl} {{key: row.sk}}) MATCH (b:{tl} {{key: row.tk}}) "
                   f"CREATE (a)-[:{DERIVED} {CO_PROPS}]->(b)", rows=part[i:i + 10_000]).consume()
    return len(rows)
