"""The embedded default store: one SQLite file (Python's standard library), in WAL mode.

SQLite is the store of record; networkx is the in-memory graph built from it on demand
(`to_networkx()`, or `.g`), for analysis, export and the HTML page.

What a letter says is kept as that letter's *support* of each node and relationship: the
key, name, kind, forms and properties it gave, and its evidence. A node's shown values are
derived from its supports by rules that do not depend on load order (kg.resolve): the
longest name, the first value in code-point order with the others kept as alternatives,
the first MAX_EVIDENCE evidence spans in (document, offset) order. So retracting a letter
(an edited reload, `kg remove`) takes away exactly what only it stated, properties included,
and the same letters loaded in any order give the same graph.

Every call to load() is one write transaction (`BEGIN IMMEDIATE`): a batch commits whole or
not at all; a second writer waits for the first (with a message) and then resolves against
what the first wrote, so nothing is lost; readers see the last committed batch. A kill at any
moment leaves the last committed state: loading the same letters again converges to the graph
of an uninterrupted load. Loading one letter costs the rows it touches (indexed), not the size
of the store."""
from __future__ import annotations

import sqlite3
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import orjson

from kg.records import MAX_EVIDENCE, DocGraph, norm
from kg.resolve import NO_ALIAS_JOIN, choose_name, choose_value, encode, joinable_aliases
from kg.store.co_issuance import contribution, delta

FILE = "kg.sqlite"
FORMAT = 2
OLD_FILE = "graph.json.gz"      # format 1: a networkx graph as one gzipped JSON file

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
  doc TEXT NOT NULL, sid INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (doc, sid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS nodes (
  nid INTEGER PRIMARY KEY, label TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '', aliases TEXT NOT NULL DEFAULT '[]', properties TEXT NOT NULL DEFAULT '{}',
  alternatives TEXT NOT NULL DEFAULT '{}', evidence TEXT NOT NULL DEFAULT '[]', UNIQUE (label, key));
CREATE TABLE IF NOT EXISTS node_support (
  nid INTEGER NOT NULL, doc TEXT NOT NULL, fields TEXT NOT NULL, evidence TEXT NOT NULL, UNIQUE (nid, doc));
CREATE INDEX IF NOT EXISTS node_support_doc ON node_support(doc);
CREATE TABLE IF NOT EXISTS node_values (
  nid INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (nid, field, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_values_lookup ON node_values(field, value);
CREATE TABLE IF NOT EXISTS rels (
  rid INTEGER PRIMARY KEY, src INTEGER NOT NULL, type TEXT NOT NULL, dst INTEGER NOT NULL,
  properties TEXT NOT NULL DEFAULT '{}', alternatives TEXT NOT NULL DEFAULT '{}',
  evidence TEXT NOT NULL DEFAULT '[]', UNIQUE (src, type, dst));
CREATE INDEX IF NOT EXISTS rels_dst ON rels(dst, type);
CREATE TABLE IF NOT EXISTS rel_support (
  rid INTEGER NOT NULL, doc TEXT NOT NULL, fields TEXT NOT NULL, evidence TEXT NOT NULL, UNIQUE (rid, doc));
CREATE INDEX IF NOT EXISTS rel_support_doc ON rel_support(doc);
CREATE TABLE IF NOT EXISTS rel_values (
  rid INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (rid, field, value)) WITHOUT ROWID;
"""
# CO_ISSUED (kg.store.co_issuance): each policy's contribution (its issuers, as a JSON list of
# nids, and its year), the pairs' counts by year, and each pair's total (indexed: the pairs that
# issued the most policies together are read first); added to a store of this format on opening
CO_SCHEMA = """
CREATE TABLE IF NOT EXISTS co_basis (
  policy INTEGER PRIMARY KEY, year INTEGER NOT NULL, dated INTEGER NOT NULL, issuers TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS co_issued (
  a INTEGER NOT NULL, b INTEGER NOT NULL, year INTEGER NOT NULL, dated INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (a, b, year, dated)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS co_pairs (
  a INTEGER NOT NULL, b INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS co_pairs_n ON co_pairs(n);
"""
SCHEMA += CO_SCHEMA
# node_values fields: k (a letter's key), n (normalized name), a (joinable alias), f (a form as
# written), name (a canonical name as written), kind, p:PROP (a property's JSON value).
# Resolution looks up k, n and a; named queries look nodes up by f. Evidence is stored as
# [doc, start, end, sid] with each letter's sentences once in `sentences`.


class StoreError(ValueError):
    """A store that cannot be used: one line naming the file and what to do."""


@dataclass
class LoadResult:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)   # (doc id, the stored id of the same content)
    nodes_added: int = 0
    relationships_added: int = 0

    def merge(self, other: "LoadResult") -> None:
        self.loaded += other.loaded
        self.unchanged += other.unchanged
        self.replaced += other.replaced
        self.duplicates += other.duplicates
        self.nodes_added += other.nodes_added
        self.relationships_added += other.relationships_added


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


def _ev_key(e: list) -> list:
    return e


def _ev_rows(evidence, sid_of: dict) -> list[list]:
    return sorted([e.doc_id, e.start, e.end, sid_of[e.sentence]] for e in evidence)


class EmbeddedStore:
    """The embedded store in folder `path` (created on the first write)."""

    def __init__(self, path: str | Path, notify=None, wait_seconds: float = 600.0):
        self.path = Path(path)
        self.file = self.path / FILE
        self.notify = notify or (lambda msg: print(f"kg: {msg}", file=sys.stderr))
        self.wait_seconds = wait_seconds
        self._db: sqlite3.Connection | None = None
        self._cache: tuple | None = None       # (data_version, graph)
        self._writes = 0
        old = self.path / OLD_FILE
        if old.exists() and not self.file.exists():
            raise StoreError(f"{old}: a store of an older format (1), which this kg no longer reads; "
                             f"load the letters again into a new store (kg load --store NEW_DIR …) "
                             f"or delete {old} first")
        for tmp in self.path.glob(".graph-*.tmp") if self.path.is_dir() else ():
            tmp.unlink(missing_ok=True)    # left by a format-1 save that was killed
        if self.file.exists():
            self._open()

    # -- connection ------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        if not self.file.exists():
            self.path.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.file, isolation_level=None, timeout=10, check_same_thread=False)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA busy_timeout = 100")    # writers wait in _begin, with a message
            db.execute("PRAGMA synchronous = NORMAL")    # WAL: a commit survives a crash of the process
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                self._begin(db)
                try:
                    for stmt in filter(str.strip, SCHEMA.split(";")):
                        db.execute(stmt)
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(FORMAT),))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            fmt = db.execute("SELECT v FROM meta WHERE k = 'format'").fetchone()
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from None
        if fmt is None or fmt[0] != str(FORMAT):
            raise StoreError(f"{self.file}: a store of format {fmt[0] if fmt else '?'}, not {FORMAT}; "
                             f"load the letters again into a new store (kg load --store NEW_DIR …)")
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'co_pairs'").fetchone():
            self._add_co_issuance(db)
        self._db = db
        return db

    def _add_co_issuance(self, db: sqlite3.Connection) -> None:
        """A store written before CO_ISSUED was kept: its tables added and filled, once."""
        self.notify(f"adding the co-issuance counts to {self.file} (once) …")
        self._begin(db)
        try:
            for stmt in filter(str.strip, CO_SCHEMA.split(";")):
                db.execute(stmt)
            _Writer(db).rebuild_co_issuance()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _damaged(self, e: Exception) -> StoreError:
        return StoreError(f"{self.file}: damaged store ({e}); move it aside and load the letters again")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _begin(self, db: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE: the write lock, waiting (with one message) while another process holds it."""
        deadline, told = time.monotonic() + self.wait_seconds, False
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.file}: another process has been writing for "
                                     f"{self.wait_seconds:.0f}s; try again when it has finished") from None
                if not told:
                    self.notify(f"waiting for another process writing to {self.file} …")
                    told = True
                time.sleep(0.05)

    def _read(self):
        """A read transaction: one consistent snapshot of the last committed batch."""
        db = self._db if self._db is not None else (self._open() if self.file.exists() else None)
        return _Snapshot(db, self)

    # -- writes ------------------------------------------------------------------------------
    def load(self, graphs: list[DocGraph], result: LoadResult | None = None) -> LoadResult:
        """Merge documents' graphs into the store, in one transaction."""
        result = result or LoadResult()
        if not graphs:
            return result
        db = self._open()
        batch = LoadResult()
        try:
            self._begin(db)
            try:
                w = _Writer(db)
                for dg in graphs:
                    w.load(dg, batch)
                w.finish()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
                raise
            raise self._damaged(e) from None
        self._writes += 1
        result.merge(batch)
        return result

    def remove(self, doc_id: str) -> bool:
        """Retract a document: what only it stated goes, its evidence and support elsewhere too."""
        if not self.file.exists():
            return False
        db = self._open()
        self._begin(db)
        try:
            w = _Writer(db)
            found = w.retract(doc_id)
            w.finish()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._writes += 1
        return found

    def save(self) -> None:
        """Nothing to do: every load() commits its batch."""

    # -- reads ------------------------------------------------------------------------------------
    def known_hashes(self) -> dict[str, str]:
        """Document id → content hash of every stored document (to skip unchanged files before extraction)."""
        with self._read() as s:
            return dict(s.rows("SELECT id, content_hash FROM documents"))

    @property
    def documents(self) -> dict[str, dict]:
        with self._read() as s:
            return {i: {"content_hash": h, "source": src}
                    for i, h, src in s.rows("SELECT id, content_hash, source FROM documents ORDER BY id")}

    def stats(self) -> dict:
        with self._read() as s:
            labels = dict(s.rows("SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label"))
            types = dict(s.rows("SELECT type, count(*) FROM rels GROUP BY type ORDER BY type"))
            docs = s.one("SELECT count(*) FROM documents") or 0
        return {"documents": docs, "nodes": sum(labels.values()), "relationships": sum(types.values()),
                "labels": labels, "types": types}

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as a networkx MultiDiGraph: node ids LABEL:KEY; node data label, key,
        name, kind, aliases, properties, alternatives, docs, evidence; edges keyed by type with
        properties, alternatives, docs, evidence."""
        with self._read() as s:
            version = s.version()
            if self._cache and self._cache[0] == version:
                return self._cache[1]
            g = nx.MultiDiGraph()
            ids: dict[int, str] = {}
            text = {(d, i): t for d, i, t in s.rows("SELECT doc, sid, text FROM sentences")}
            evidence = lambda ev: [{"doc_id": d, "start": a, "end": b, "sentence": text.get((d, i), "")}
                                   for d, a, b, i in orjson.loads(ev)]
            node_docs: dict[int, list] = defaultdict(list)
            for nid, doc in s.rows("SELECT nid, doc FROM node_support ORDER BY nid, doc"):
                node_docs[nid].append(doc)
            alt_docs = self._alternative_docs(s, "node")
            for nid, label, key, name, kind, aliases, props, alts, ev in s.rows(
                    "SELECT nid, label, key, name, kind, aliases, properties, alternatives, evidence FROM nodes"):
                ids[nid] = f"{label}:{key}"
                g.add_node(ids[nid], label=label, key=key, name=name, kind=kind, aliases=orjson.loads(aliases),
                           properties=orjson.loads(props), alternatives=_alternatives(alts, alt_docs.get(nid)),
                           docs=node_docs.pop(nid, []), evidence=evidence(ev))
            rel_docs: dict[int, list] = defaultdict(list)
            for rid, doc in s.rows("SELECT rid, doc FROM rel_support ORDER BY rid, doc"):
                rel_docs[rid].append(doc)
            alt_docs = self._alternative_docs(s, "rel")
            for rid, src, rtype, dst, props, alts, ev in s.rows(
                    "SELECT rid, src, type, dst, properties, alternatives, evidence FROM rels ORDER BY rid"):
                g.add_edge(ids[src], ids[dst], key=rtype, properties=orjson.loads(props),
                           alternatives=_alternatives(alts, alt_docs.get(rid)),
                           docs=rel_docs.pop(rid, []), evidence=evidence(ev))
        self._cache = (version, g)
        return g

    @staticmethod
    def _alternative_docs(s, kind: str) -> dict[int, list]:
        """(element id → [(property, encoded value, doc)]) for the elements whose letters disagree."""
        id_col, table, support = ("nid", "nodes", "node_support") if kind == "node" else ("rid", "rels", "rel_support")
        out: dict[int, list] = defaultdict(list)
        for eid, doc, fields in s.rows(
                f"SELECT t.{id_col}, s.doc, s.fields FROM {table} t JOIN {support} s ON s.{id_col} = t.{id_col} "
                f"WHERE t.alternatives <> '{{}}' ORDER BY s.doc"):
            for f, v in _unpack(fields):
                if f.startswith("p:") or f == "kind":
                    out[eid].append((f.removeprefix("p:"), v, doc))
        return out

    @property
    def g(self) -> nx.MultiDiGraph:
        """The graph as networkx (rebuilt only when the store changed)."""
        return self.to_networkx()

    def find(self, name: str) -> list[str]:
        """Node ids called `name` (canonical name, else alias)."""
        with self._read() as s:
            exact = s.rows("SELECT label || ':' || key FROM nodes n JOIN node_values v USING (nid) "
                           "WHERE v.field = 'n' AND v.value = ? ORDER BY 1", (norm(name),))
            if exact:
                return [r[0] for r in exact]
            return [r[0] for r in s.rows(
                "SELECT DISTINCT label || ':' || key FROM nodes n JOIN node_values v USING (nid) "
                "WHERE v.field = 'f' AND v.value = ? ORDER BY 1", (name,))]

    def query(self, name: str, params: dict) -> tuple[list[str], list[list]]:
        """A named query (queries/NAME.cypher), answered from the store's indexes."""
        from kg.store.queries import run_named
        with self._read() as s:
            return run_named(s, name, params)


def _alternatives(alts: str, docs: list | None) -> dict:
    """{property: [{"value": v, "docs": [...]}, ...]}: the values letters state besides the chosen one."""
    alts = orjson.loads(alts)
    if not alts:
        return {}
    by: dict[tuple, list] = defaultdict(list)
    for prop, v, doc in docs or []:
        by[(prop, v)].append(doc)
    return {prop: [{"value": orjson.loads(v) if prop != "kind" else v, "docs": by.get((prop, v), [])} for v in values]
            for prop, values in alts.items()}


class _Snapshot:
    """A read transaction on the store (or on nothing, when the store does not exist yet)."""

    def __init__(self, db, store: EmbeddedStore):
        self.db, self.store = db, store

    def __enter__(self):
        if self.db is not None:
            try:
                self.db.execute("BEGIN")
                self.db.execute("SELECT 1 FROM meta LIMIT 1").fetchone()   # the snapshot starts here
            except sqlite3.DatabaseError as e:
                raise self.store._damaged(e) from None
        return self

    def __exit__(self, *exc):
        if self.db is not None and self.db.in_transaction:
            self.db.execute("COMMIT")

    def rows(self, sql: str, args=()) -> list:
        if self.db is None:
            return []
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as e:
            raise self.store._damaged(e) from None

    def one(self, sql: str, args=()):
        r = self.rows(sql, args)
        return r[0][0] if r else None

    def version(self):
        if self.db is None:
            return None
        return (self.db.execute("PRAGMA data_version").fetchone()[0], self.store._writes)


def _pack(fields: list) -> str:
    """A support's fields, compactly: grouped by field, without what follows from the name
    (its form, its normalized form, a key equal to it)."""
    g: dict[str, list] = {}
    for f, v in fields:
        g.setdefault(f, []).append(v)
    names = g.get("name", [])
    if len(names) == 1:
        name = names[0]
        nn = norm(name)
        g["f"] = [f for f in g.get("f", []) if f != name]
        if not g["f"]:
            del g["f"]
        if g.get("n") == [nn]:
            del g["n"]
            g["_n"] = 1
        if g.get("k") == [nn]:
            del g["k"]
            g["_k"] = 1
    return _dumps(g)


def _unpack(text: str) -> list[list[str]]:
    g = orjson.loads(text)
    out = [[f, v] for f, vs in g.items() if not f.startswith("_") for v in vs]
    names = g.get("name", [])
    if len(names) == 1:
        nn = norm(names[0])
        out.append(["f", names[0]])
        if g.get("_n"):
            out.append(["n", nn])
        if g.get("_k"):
            out.append(["k", nn])
    return out


def _node_fields(n) -> list[list[str]]:
    """What one letter's node contributes to the node's values (stored with its support, so
    that retraction takes back exactly this)."""
    forms = sorted(n.aliases | {n.name})
    out = [["k", n.key], ["name", n.name]] + [["f", f] for f in forms]
    if n.label not in NO_ALIAS_JOIN:
        out.append(["n", norm(n.name)])
        out += [["a", a] for a in joinable_aliases(n.name, n.aliases)]
    if n.kind:
        out.append(["kind", n.kind])
    out += [["p:" + k, encode(v)] for k, v in sorted(n.properties.items())]
    # a form listed twice by one letter counts once
    seen, uniq = set(), []
    for f in out:
        if (f[0], f[1]) not in seen:
            seen.add((f[0], f[1]))
            uniq.append(f)
    return uniq


class _Writer:
    """The work of one write transaction: documents merged and retracted, then the touched
    nodes and relationships refreshed once."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        # what this transaction resolved: (label, key) → nid, (src, type, dst) → rid; a body named
        # in most letters of a batch is looked up once (cleared when a retraction changes keys)
        self.by_key: dict[tuple[str, str], int] = {}
        self.by_ends: dict[tuple[int, str, int], int] = {}
        self.touched_nodes: set[int] = set()
        self.touched_rels: set[int] = set()
        self.recount_nodes: set[int] = set()    # lost evidence: recompute it from the supports
        self.recount_rels: set[int] = set()
        self.new_ev_nodes: dict[int, list] = defaultdict(list)
        self.new_ev_rels: dict[int, list] = defaultdict(list)

    def x(self, sql: str, args=()):
        return self.db.execute(sql, args)

    # -- merge ------------------------------------------------------------------------
    def load(self, dg: DocGraph, result: LoadResult) -> None:
        old = self.x("SELECT content_hash FROM documents WHERE id = ?", (dg.doc_id,)).fetchone()
        if old and old[0] == dg.content_hash:
            result.unchanged.append(dg.doc_id)
            return
        same = self.x("SELECT id FROM documents WHERE content_hash = ? AND id <> ? ORDER BY id LIMIT 1",
                      (dg.content_hash, dg.doc_id)).fetchone()
        if old:
            self.retract(dg.doc_id)        # edited: what it said before goes, whatever it says now
            result.replaced.append(dg.doc_id)
        if same:
            result.duplicates.append((dg.doc_id, same[0]))
            return
        nodes, rels = self.merge(dg)
        result.nodes_added += nodes
        result.relationships_added += rels
        result.loaded.append(dg.doc_id)

    def resolve(self, n) -> int | None:
        nid = self.by_key.get((n.label, n.key))
        if nid is None:
            nid = self._resolve(n)
            if nid is not None:
                self.by_key[(n.label, n.key)] = nid
        return nid

    def _resolve(self, n) -> int | None:
        hit = self.x("SELECT v.nid FROM node_values v JOIN nodes USING (nid) "
                     "WHERE v.field = 'k' AND v.value = ? AND label = ?", (n.key, n.label)).fetchone()
        if hit:
            return hit[0]
        hit = self.x("SELECT nid FROM nodes WHERE label = ? AND key = ?", (n.label, n.key)).fetchone()
        if hit:
            return hit[0]
        if n.label in NO_ALIAS_JOIN:
            return None
        name = norm(n.name)
        named = {r[0] for r in self.x("SELECT v.nid FROM node_values v JOIN nodes USING (nid) "
                                      "WHERE v.field = 'n' AND v.value = ? AND label = ?", (name, n.label))}
        if len(named) == 1:
            return named.pop()
        cands = {r[0] for r in self.x("SELECT v.nid FROM node_values v JOIN nodes USING (nid) "
                                      "WHERE v.field = 'a' AND v.value = ? AND label = ?", (name, n.label))}
        for a in joinable_aliases(n.name, n.aliases):
            cands |= {r[0] for r in self.x("SELECT v.nid FROM node_values v JOIN nodes USING (nid) "
                                           "WHERE v.field = 'n' AND v.value = ? AND label = ?", (a, n.label))}
        return cands.pop() if len(cands) == 1 else None     # ambiguous: joins neither

    def merge(self, dg: DocGraph) -> tuple[int, int]:
        doc = dg.doc_id
        ids: dict[str, int] = {}
        new_nodes = new_rels = 0
        counts: dict[tuple, int] = defaultdict(int)
        texts = sorted({e.sentence for x in (*dg.nodes.values(), *dg.relationships.values()) for e in x.evidence})
        sid_of = {t: i for i, t in enumerate(texts)}
        self.db.executemany("INSERT INTO sentences VALUES (?, ?, ?)", [(doc, i, t) for i, t in enumerate(texts)])
        supports: dict[int, tuple[list, list]] = {}      # nid → (fields, evidence) of this letter
        for node in dg.nodes.values():
            nid = self.resolve(node)
            if nid is None:
                nid = self.x("INSERT INTO nodes (label, key, name, kind) VALUES (?, ?, ?, ?)",
                             (node.label, node.key, node.name, node.kind or "")).lastrowid
                self.by_key[(node.label, node.key)] = nid
                new_nodes += 1
            ids[node.id] = nid
            fields, ev = _node_fields(node), _ev_rows(node.evidence, sid_of)
            if nid in supports:
                # two of this letter's nodes are one stored node: one support, the union of both
                old_fields, old_ev = supports[nid]
                known = {tuple(f) for f in old_fields}
                fields = old_fields + [f for f in fields if tuple(f) not in known]
                ev = sorted(old_ev + ev, key=_ev_key)
            supports[nid] = (fields, ev)
        rows = []
        for nid, (fields, ev) in supports.items():
            for f in fields:
                counts[(nid, f[0], f[1])] += 1
            rows.append((nid, doc, _pack(fields), _dumps(ev)))
            self.touched_nodes.add(nid)
            if ev:
                self.new_ev_nodes[nid] += ev
        self.db.executemany("INSERT INTO node_support VALUES (?, ?, ?, ?)", rows)
        self._count("node_values", "nid", counts)
        # relationships
        rcounts: dict[tuple, int] = defaultdict(int)
        rsupports: dict[int, tuple] = {}
        for rel in dg.relationships.values():
            s, t = ids[rel.source], ids[rel.target]
            rid = self.by_ends.get((s, rel.type, t))
            if rid is None:
                hit = self.x("SELECT rid FROM rels WHERE src = ? AND type = ? AND dst = ?", (s, rel.type, t)).fetchone()
                if hit:
                    rid = hit[0]
                else:
                    rid = self.x("INSERT INTO rels (src, type, dst) VALUES (?, ?, ?)", (s, rel.type, t)).lastrowid
                    new_rels += 1
                self.by_ends[(s, rel.type, t)] = rid
            fields = [["p:" + k, encode(v)] for k, v in sorted(rel.properties.items())]
            ev = _ev_rows(rel.evidence, sid_of)
            if rid in rsupports:      # two of the letter's relationships became one (their ends merged)
                _, _, old_fields, old_ev = rsupports[rid]
                known = {tuple(f) for f in _unpack(old_fields)}
                fields = _unpack(old_fields) + [f for f in fields if tuple(f) not in known]
                ev = sorted(orjson.loads(old_ev) + ev, key=_ev_key)
                for f in _unpack(old_fields):
                    rcounts[(rid, f[0], f[1])] -= 1
            for f in fields:
                rcounts[(rid, f[0], f[1])] += 1
            rsupports[rid] = (rid, doc, _pack(fields), _dumps(ev))
            self.touched_rels.add(rid)
        for rid, row in rsupports.items():
            ev = orjson.loads(row[3])
            if ev:
                self.new_ev_rels[rid] += ev
        self.db.executemany("INSERT INTO rel_support VALUES (?, ?, ?, ?)", list(rsupports.values()))
        self._count("rel_values", "rid", rcounts)
        self.x("INSERT INTO documents (id, content_hash, source) VALUES (?, ?, ?)",
               (doc, dg.content_hash, str(_source(dg))))
        return new_nodes, new_rels

    def _count(self, table: str, id_col: str, counts: dict) -> None:
        up = [(k[0], k[1], k[2], d) for k, d in counts.items() if d > 0]
        down = [(-d, k[0], k[1], k[2]) for k, d in counts.items() if d < 0]
        if up:
            self.db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?) "
                                f"ON CONFLICT ({id_col}, field, value) DO UPDATE SET n = n + excluded.n", up)
        if down:
            self.db.executemany(f"UPDATE {table} SET n = n - ? WHERE {id_col} = ? AND field = ? AND value = ?", down)
            self.db.executemany(f"DELETE FROM {table} WHERE {id_col} = ? AND field = ? AND value = ? AND n <= 0",
                                [d[1:] for d in down])

    # -- retraction ---------------------------------------------------------------------
    def retract(self, doc_id: str) -> bool:
        if not self.x("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
            return False
        self.by_key.clear()
        for kind, id_col, support, values, touched, recount in (
                ("rel", "rid", "rel_support", "rel_values", self.touched_rels, self.recount_rels),
                ("node", "nid", "node_support", "node_values", self.touched_nodes, self.recount_nodes)):
            counts: dict[tuple, int] = defaultdict(int)
            for eid, fields, ev in self.x(f"SELECT {id_col}, fields, evidence FROM {support} WHERE doc = ?", (doc_id,)).fetchall():
                for f in _unpack(fields):
                    counts[(eid, f[0], f[1])] -= 1
                touched.add(eid)
                if ev != "[]":
                    recount.add(eid)
            self._count(values, id_col, counts)
            self.x(f"DELETE FROM {support} WHERE doc = ?", (doc_id,))
        for ev_map in (self.new_ev_nodes, self.new_ev_rels):
            for eid in list(ev_map):
                ev_map[eid] = [e for e in ev_map[eid] if e[0] != doc_id]
        self.x("DELETE FROM sentences WHERE doc = ?", (doc_id,))
        self.x("DELETE FROM documents WHERE id = ?", (doc_id,))
        return True

    # -- refresh ----------------------------------------------------------------------------
    def finish(self) -> None:
        """Derive the shown values of every touched node and relationship from its supports;
        drop what no letter supports any more."""
        rels = sorted(self.touched_rels)
        for chunk in _chunks(rels):
            q = ",".join("?" * len(chunk))
            dead = [r[0] for r in self.x(f"SELECT rid FROM rels WHERE rid IN ({q}) AND NOT EXISTS "
                                         f"(SELECT 1 FROM rel_support s WHERE s.rid = rels.rid)", chunk)]
            self._delete("rels", "rid", "rel_values", dead)
        nodes = sorted(self.touched_nodes)
        for chunk in _chunks(nodes):
            q = ",".join("?" * len(chunk))
            dead = [r[0] for r in self.x(f"SELECT nid FROM nodes WHERE nid IN ({q}) AND NOT EXISTS "
                                         f"(SELECT 1 FROM node_support s WHERE s.nid = nodes.nid)", chunk)]
            if dead:
                d = ",".join("?" * len(dead))
                self.x(f"DELETE FROM rel_support WHERE rid IN (SELECT rid FROM rels WHERE src IN ({d}) OR dst IN ({d}))",
                       dead + dead)
                self.x(f"DELETE FROM rel_values WHERE rid IN (SELECT rid FROM rels WHERE src IN ({d}) OR dst IN ({d}))",
                       dead + dead)
                self.x(f"DELETE FROM rels WHERE src IN ({d}) OR dst IN ({d})", dead + dead)
            self._delete("nodes", "nid", "node_values", dead)
        for nid in nodes:
            self._refresh_node(nid)
        for rid in rels:
            self._refresh_rel(rid)
        self._co_issuance(nodes)

    # -- CO_ISSUED (kg.store.co_issuance) --------------------------------------------------
    def _co_issuance(self, nids: list[int]) -> None:
        """Replace the contribution of every policy among `nids` (the touched nodes: any policy
        whose issuers or date may have changed, or that is gone) by what it contributes now."""
        change: Counter = Counter()
        for chunk in _chunks(nids):
            q = ",".join("?" * len(chunk))
            before = {p: (tuple(orjson.loads(iss)), y, bool(d)) for p, y, d, iss in self.x(
                f"SELECT policy, year, dated, issuers FROM co_basis WHERE policy IN ({q})", chunk)}
            dates = {nid: orjson.loads(props).get("date") for nid, props in self.x(
                f"SELECT nid, properties FROM nodes WHERE nid IN ({q}) AND label = 'Policy'", chunk)}
            issuers: dict[int, set] = defaultdict(set)
            for dst, src in self.x(f"SELECT dst, src FROM rels WHERE type = 'ISSUED' AND dst IN ({q})", chunk):
                if dst in dates:
                    issuers[dst].add(src)
            gone, keep = [], []
            for p in sorted(set(before) | set(dates)):
                after = contribution(issuers[p], dates[p]) if p in dates else None
                if before.get(p) == after:
                    continue
                change.update(delta(before.get(p), after))
                if after is None:
                    gone.append((p,))
                else:
                    keep.append((p, after[1], int(after[2]), _dumps(list(after[0]))))
            self.db.executemany("DELETE FROM co_basis WHERE policy = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO co_basis VALUES (?, ?, ?, ?)", keep)
        up = [(a, b, y, int(d), n) for (a, b, y, d), n in change.items() if n]
        self.db.executemany("INSERT INTO co_issued VALUES (?, ?, ?, ?, ?) ON CONFLICT (a, b, year, dated) "
                            "DO UPDATE SET n = n + excluded.n", up)
        self.db.executemany("DELETE FROM co_issued WHERE a = ? AND b = ? AND year = ? AND dated = ? AND n <= 0",
                            [r[:4] for r in up if r[4] < 0])
        total: Counter = Counter()
        for (a, b, _, _), n in change.items():
            total[(a, b)] += n
        up = [(a, b, n) for (a, b), n in total.items() if n]
        self.db.executemany("INSERT INTO co_pairs VALUES (?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET n = n + excluded.n", up)
        self.db.executemany("DELETE FROM co_pairs WHERE a = ? AND b = ? AND n <= 0", [r[:2] for r in up if r[2] < 0])

    def rebuild_co_issuance(self) -> None:
        """Every policy's contribution and every pair's count made again from the graph."""
        self.x("DELETE FROM co_basis")
        self.x("DELETE FROM co_issued")
        self.x("DELETE FROM co_pairs")
        self._co_issuance([r[0] for r in self.x("SELECT nid FROM nodes WHERE label = 'Policy' ORDER BY nid")])

    def _delete(self, table: str, id_col: str, values: str, ids: list[int]) -> None:
        if ids:
            q = ",".join("?" * len(ids))
            self.x(f"DELETE FROM {values} WHERE {id_col} IN ({q})", ids)
            self.x(f"DELETE FROM {table} WHERE {id_col} IN ({q})", ids)

    def _values(self, table: str, id_col: str, eid: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for f, v in self.x(f"SELECT field, value FROM {table} WHERE {id_col} = ? AND field NOT IN ('n', 'a') "
                           f"ORDER BY field, value", (eid,)):
            out[f].append(v)
        return out

    def _evidence(self, support: str, id_col: str, eid: int, current: str, new: list, recount: bool) -> str:
        if recount:
            ev: list = []
            for (chunk,) in self.x(f"SELECT evidence FROM {support} WHERE {id_col} = ? AND evidence <> '[]' "
                                   f"ORDER BY doc", (eid,)):
                ev += orjson.loads(chunk)
                if len(ev) >= MAX_EVIDENCE:
                    break
        else:
            ev = orjson.loads(current) + new
        ev = sorted(ev, key=_ev_key)[:MAX_EVIDENCE]
        return _dumps(ev)

    def _refresh_node(self, nid: int) -> None:
        row = self.x("SELECT label, key, evidence, name, kind, aliases, properties, alternatives FROM nodes "
                     "WHERE nid = ?", (nid,)).fetchone()
        if row is None:
            return
        label, key, ev = row[:3]
        vals = self._values("node_values", "nid", nid)
        name = choose_name(vals["name"])
        keys = vals["k"]
        new_key = norm(name) if norm(name) in keys else min(keys)
        kinds = vals.get("kind", [])
        kind = choose_value(kinds) if kinds else ""
        props, alts = _choose(vals)
        if len(kinds) > 1:
            alts["kind"] = [k for k in kinds if k != kind]
        aliases = sorted(f for f in vals["f"] if f != name)
        ev = self._evidence("node_support", "nid", nid, ev, self.new_ev_nodes.get(nid, []), nid in self.recount_nodes)
        if new_key != key and self.x("SELECT 1 FROM nodes WHERE label = ? AND key = ?", (label, new_key)).fetchone():
            new_key = key          # never two nodes with one key
        new = (new_key, ev, name, kind, _dumps(aliases), props, encode(alts))
        if new != (key, *row[2:]):
            self.x("UPDATE nodes SET key = ?, evidence = ?, name = ?, kind = ?, aliases = ?, properties = ?, "
                   "alternatives = ? WHERE nid = ?", (*new, nid))

    def _refresh_rel(self, rid: int) -> None:
        row = self.x("SELECT evidence, properties, alternatives FROM rels WHERE rid = ?", (rid,)).fetchone()
        if row is None:
            return
        vals = self._values("rel_values", "rid", rid)
        props, alts = _choose(vals)
        ev = self._evidence("rel_support", "rid", rid, row[0], self.new_ev_rels.get(rid, []), rid in self.recount_rels)
        if (ev, props, encode(alts)) != row:
            self.x("UPDATE rels SET evidence = ?, properties = ?, alternatives = ? WHERE rid = ?",
                   (ev, props, encode(alts), rid))


def _choose(vals: dict[str, list[str]]) -> tuple[str, dict]:
    props, alts = {}, {}
    for f, values in vals.items():
        if f.startswith("p:"):
            chosen = choose_value(values)
            props[f[2:]] = orjson.loads(chosen)
            if len(values) > 1:
                alts[f[2:]] = [v for v in values if v != chosen]
    return encode(props), alts


def _source(dg: DocGraph) -> str:
    for n in dg.nodes.values():
        if n.label == "Document" and n.key == dg.doc_id:
            return str(n.properties.get("source", ""))
    return ""


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]
