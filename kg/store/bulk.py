"""A first load into Neo4j by its offline importer: `kg load --neo4j --bulk`.

The letters are extracted as for any load (kg.pipeline's streaming, --jobs), then merged and
resolved across letters in memory by the online writer's own code (neo4j_store.batch_rows,
split_nodes, split_rels and its resolver), batch by batch in the same order, so the graph is
the one `kg load --neo4j` would have written; `MemoryGraph` applies each batch as the writer's
Cypher would. The graph is written as the importer's CSV files (kg.store.bulk_csv: the support
links as each batch makes them, the relationships by a forked child beside the nodes), the local
server (`kg neo4j start`) is stopped, `neo4j-admin database import full` (org.neo4j.cli.AdminTool
from the server's jars) builds the database, the server is started again, and the schema's
constraints and indexes are created (Neo4jStore.apply_schema).

Only into the local server, and only when its database is empty: later loads go online."""
from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from kg.records import MAX_EVIDENCE, DocGraph
from kg.resolve import encode
from kg.schema import load_schema
from kg.store.bulk_csv import (ARRAY_DELIMITER, CsvValueError, ImportCsvWriter, ImportFiles, _string_list,
                               importer_args)
from kg.store.co_issuance import DERIVED
from kg.store.embedded import LoadResult
from kg.store.neo4j_store import (EVIDENCE_KEYS, _BatchResolver, _check_label, _forms, _node_props, _rel_props,
                                  _support, batch_rows, choose_from_claims, claims_by_key, co_issued_rows,
                                  split_nodes, split_rels)


class BulkError(Exception):
    pass


def _ev_append(target: dict, row: dict) -> None:
    """(target + row)[:MAX_EVIDENCE] for each evidence list, in place (a stored list is at most
    MAX_EVIDENCE long, so a hub's full lists cost nothing)."""
    room = MAX_EVIDENCE - len(target["evidence_docs"])
    if room > 0 and row["evidence_docs"]:
        for k in EVIDENCE_KEYS:
            target[k] += row[k][:room]


SUPPORT_SIG = (("forms", "string[]"), ("said", "string"))      # a support link's properties and their types


# Most relationships are made by one batch, carry no property and are never added to again (73%
# of them at 5,000 synthetic letters). Held as a dict of five lists each (about 700 bytes), they
# were the largest part of the graph this process keeps until the importer's files are written;
# as two tuples they take about 220 (the graph of 5,000 letters: 494 → 408 MB). A compact
# relationship becomes the dict again when a later batch adds to it.
def _compact_rel(row: dict) -> tuple:
    return tuple(row["docs"]), tuple(zip(*(row[k] for k in EVIDENCE_KEYS)))


def _new_rel(row: dict):
    """What the graph holds for a relationship a batch made: compact unless a letter claimed a property."""
    return _rel_props(row) if row["claims"] else _compact_rel(row)


# a compact relationship's columns in the importer's files: its properties' names in sorted order,
# as ImportCsvWriter.relationship would find them (the same file, the same header)
_COMPACT_SIG = (("alternatives_json", "string"), ("docs", "string[]"), ("evidence_docs", "string[]"),
                ("evidence_ends", "long[]"), ("evidence_sentences", "string[]"), ("evidence_starts", "long[]"),
                ("properties_json", "string"))


def _compact_fields(compact: tuple) -> list[str] | None:
    """The fields ImportCsvWriter.relationship would write for `_rel_dict(compact)`, or None where
    it would do more than join them (no evidence, an empty string: lists the importer cannot hold)."""
    docs, evidence = compact
    if not evidence:
        return None
    ev_docs, starts, ends, sentences = zip(*evidence)
    if "" in docs or "" in ev_docs or "" in sentences:
        return None
    return ["{}", _string_list(docs), _string_list(ev_docs), ARRAY_DELIMITER.join(map(str, ends)),
            _string_list(sentences), ARRAY_DELIMITER.join(map(str, starts)), "{}"]


def _rel_dict(compact: tuple) -> dict:
    """The properties a compact relationship stands for, as `_rel_props` makes them."""
    docs, evidence = compact
    columns = [list(c) for c in zip(*evidence)] if evidence else [[] for _ in EVIDENCE_KEYS]
    return {"docs": list(docs), "properties_json": "{}", "alternatives_json": "{}", **dict(zip(EVIDENCE_KEYS, columns))}


# A node's tally items held in memory as one string (a node has some five of them; one string
# in place of a list of strings saves some 400 bytes a node, half a gigabyte at 100,000 letters),
# made lists again when read. Items holding the separator stay a list.
_PACK = "\0"


def _pack_tally(n: dict) -> None:
    items = n.get("tally_items")
    if type(items) is list and items:
        joined = _PACK.join(items)
        if joined.count(_PACK) == len(items) - 1:
            n["tally_items"] = joined


def _tally_items(n: dict):
    items = n.get("tally_items")
    return items.split(_PACK) if type(items) is str else items


def _stored(key: str, n: dict) -> dict:
    """A node as neo4j_store._TxLookup returns it, with its joinable aliases: its alias_text
    is made of them (_alias_text), so the resolver need not work them out again each batch
    (unless an alias holds a bar, | or ｜, the only characters whose normal form is one)."""
    text, aliases = n.get("alias_text", ""), n["aliases"]
    joinable = None if any("|" in a or "｜" in a for a in aliases) else text[1:-1].split("|") if text else []
    return {"key": key, "name": n["name"], "aliases": list(aliases), "kind": n.get("kind", ""),
            "props": n.get("properties_json"), "alts": n.get("alternatives_json"), "joinable": joinable,
            "tally_items": _tally_items(n), "tally_counts": n.get("tally_counts")}


class MemoryGraph:
    """The Neo4j graph the online writer would build, held in memory: nodes by (label, key) with
    the properties Neo4j would hold, relationships by (type, label, key, label, key), the
    support links (label, key, doc) → forms, and each loaded letter's registry entry."""

    def __init__(self, csv: ImportCsvWriter | None = None):
        self.nodes: dict[tuple[str, str], dict] = {}
        self.rels: dict[tuple, dict] = {}
        self.support: dict[tuple[str, str, str], tuple[list[str], str]] = {}   # → (forms, what the letter said)
        # with `csv`, the support links go to the importer's files as each batch makes them (they
        # never change after: a quarter of the graph's memory that need not be held)
        self.csv = csv
        self.hashes: dict[str, str] = {}
        self._alias_index: dict[tuple[str, str], set[str]] = defaultdict(set)   # (label, form) → keys
        self._claims_by: dict[tuple, dict] = {}      # relationship → {property: values claimed}

    # the lookups of neo4j_store._TxLookup, answered from memory
    def by_keys(self, label: str, keys: list[str]) -> list[dict]:
        out = []
        for k in keys:
            n = self.nodes.get((label, k))
            if n is not None:
                out.append(_stored(k, n))
        return out

    def by_alias_forms(self, label: str, forms: list[str]) -> list[dict]:
        keys = set().union(*(self._alias_index.get((label, f), set()) for f in forms)) if forms else set()
        return [_stored(k, self.nodes[(label, k)]) for k in sorted(keys)]

    def _set_alias_text(self, label: str, key: str, text: str) -> None:
        n = self.nodes[(label, key)]
        for f in filter(None, n.get("alias_text", "").split("|")):
            self._alias_index[(label, f)].discard(key)
        n["alias_text"] = text
        for f in filter(None, text.split("|")):
            self._alias_index[(label, f)].add(key)

    def load(self, graphs: list[DocGraph], result: LoadResult, batch_size: int = 500) -> None:
        """As Neo4jStore.load: the same batches, the same outcomes."""
        latest = {}
        for dg in graphs:
            latest[dg.doc_id] = dg
        graphs = list(latest.values())
        for i in range(0, len(graphs), batch_size):
            self._batch(graphs[i:i + batch_size], result)

    def _batch(self, graphs: list[DocGraph], result: LoadResult) -> None:
        todo = []
        for dg in graphs:
            h = self.hashes.get(dg.doc_id)
            if h == dg.content_hash:
                result.unchanged.append(dg.doc_id)
                continue
            if h is not None:
                raise BulkError(f"{dg.doc_id}: given twice with different content; the bulk path loads each "
                                "letter once (load the later version with `kg load --neo4j` afterwards)")
            result.loaded.append(dg.doc_id)
            todo.append(dg)
        if not todo:
            return
        resolver = _BatchResolver(self, todo)
        node_rows, support_rows, rel_rows, registry = batch_rows(todo, resolver)
        for label, rows in node_rows.items():
            fresh, known = split_nodes(label, rows, resolver)
            for row in fresh:
                props = _node_props(row)
                _pack_tally(props)
                self.nodes[(label, row["key"])] = props
                self._set_alias_text(label, row["key"], props["alias_text"])
                result.nodes_added += 1
            for row in known:            # the MERGE … SET of the online writer
                n = self.nodes[(label, row["key"])]
                # name, kind, aliases and properties as the writer chose them (split_nodes)
                for k, v in row["flat"].items():
                    if v is None:
                        n.pop(k, None)
                    else:
                        n[k] = v
                n.update(name=row["name"], kind=row["kind"], aliases=row["aliases"],
                         properties_json=row["props_json"], alternatives_json=row["alts_json"],
                         tally_items=row["tally_items"], tally_counts=row["tally_counts"])
                _pack_tally(n)
                self._set_alias_text(label, row["key"], row["alias_text"])
                _ev_append(n, row)
                n["forms"] = _forms(n["name"], n["aliases"])
        for (rtype, sl, tl), rows in rel_rows.items():
            fresh, known = split_rels(sl, tl, rows, resolver)
            for row in fresh:
                self.rels[(rtype, sl, row["s"], tl, row["t"])] = _new_rel(row)
                result.relationships_added += 1
            for row in known:
                key = (rtype, sl, row["s"], tl, row["t"])
                r = self.rels.get(key)
                if r is None:
                    self.rels[key] = _new_rel(row)
                    result.relationships_added += 1
                else:
                    if type(r) is tuple:
                        r = self.rels[key] = _rel_dict(r)
                    r["docs"].extend(row["docs"])        # in place: a hub's list is not copied every batch
                    _ev_append(r, row)
                    if row["claims"]:        # as the writer's _rechoose_rels, from every claim so far
                        by = self._claims_by.get(key)
                        if by is None:       # kept from its second batch on: not chosen from all claims again
                            by = self._claims_by[key] = claims_by_key(r.get("prop_claims", []))
                        claims_by_key(row["claims"], by)
                        r.setdefault("prop_claims", []).extend(row["claims"])
                        flat, props, alts = choose_from_claims(by)
                        for k in json.loads(r.get("properties_json") or "{}"):
                            r.pop(k, None)
                        r.update(flat, properties_json=props, alternatives_json=alts)
        if self.csv is not None:
            self.csv.relationships(_support(), SUPPORT_SIG,
                                   ((f"{label}:{row['key']}", f"Document:{row['doc']}", (row["forms"], encode(row["said"])))
                                    for label, rows in support_rows.items() for row in rows.values()))
        else:
            for label, rows in support_rows.items():
                for row in rows.values():
                    self.support[(label, row["key"], row["doc"])] = (row["forms"], encode(row["said"]))
        for reg in registry:
            n = self.nodes.get(("Document", reg["id"]))
            if n is not None:              # as the writer's MATCH (d:Document {key: id}) SET …
                n["content_hash"], n["fact_rels"] = reg["h"], reg["r"]
            self.hashes[reg["id"]] = reg["h"]

    def write_csv(self, folder=None, parallel: bool = False) -> ImportFiles:
        """The graph as the importer's files: into `folder`, or into the writer the graph was
        made with (which already holds the support links), closing it. With `parallel`, a forked
        child writes the relationships while this process writes the nodes (the same rows; the
        child's files are named r-…)."""
        lookup = load_schema().lookup_label
        with (self.csv if self.csv is not None else ImportCsvWriter(folder)) as w:
            child = None
            if parallel and hasattr(os, "fork"):
                try:
                    child = _fork_writer(w, self._write_relationships)
                except OSError:       # no process to be had (memory, limits): written here instead
                    child = None
            try:
                for (label, key), props in self.nodes.items():
                    if type(props.get("tally_items")) is str:     # a list for this row only: all of them
                        props = {**props, "tally_items": _tally_items(props)}   # at once would undo the packing
                    w.node(f"{label}:{key}", [_check_label(label), lookup], props)
                # the two kinds of rows there are most of, with their types declared (in sorted property
                # order, as .relationship would find them: the same files)
                w.relationships(_support(), SUPPORT_SIG, ((f"{label}:{key}", f"Document:{doc}", (forms, said))
                                                          for (label, key, doc), (forms, said) in self.support.items()))
                w.relationships(DERIVED, (("first_year", "long"), ("last_year", "long"), ("policies", "long"),
                                          ("years", "long[]")),
                                ((f"{r['sl']}:{r['sk']}", f"{r['tl']}:{r['tk']}", (r["first"], r["last"], r["n"], r["years"]))
                                 for r in self.co_issued()))
                if child is None:
                    self._write_relationships(w)
            except BaseException:
                if child is not None:
                    try:
                        child()           # not left behind
                    except Exception:     # noqa: BLE001 — this process's error is the one to report
                        pass
                raise
        if child is not None:
            w.files.add(child())
        return w.files

    def _write_relationships(self, w: ImportCsvWriter) -> None:
        for (rtype, sl, sk, tl, tk), props in self.rels.items():
            if type(props) is tuple:
                fields = _compact_fields(props)
                if fields is not None:
                    w.relationship_fields(f"{sl}:{sk}", f"{tl}:{tk}", rtype, _COMPACT_SIG, fields)
                    continue
                props = _rel_dict(props)
            w.relationship(f"{sl}:{sk}", f"{tl}:{tk}", rtype, props)

    def co_issued(self) -> list[dict]:
        """CO_ISSUED as the online writer keeps it, made from the whole graph at once."""
        spec = load_schema().derived[DERIVED]
        issuers: dict[str, list] = defaultdict(list)
        for rtype, sl, sk, tl, tk in self.rels:
            if rtype == spec["via"] and tl == spec["through"]:
                issuers[tk].append((sl, sk))
        return co_issued_rows((who, self.nodes[(spec["through"], key)].get("date")) for key, who in issuers.items())


def _fork_writer(w: ImportCsvWriter, write: Callable[[ImportCsvWriter], None]) -> Callable[[], ImportFiles]:
    """Run write(writer) in a forked child, into w's folder under the prefix r-; returns a
    function that waits for it and gives its ImportFiles (or raises what it raised). The child
    reads the parent's graph as it is at the fork (copy on write), writes and leaves by os._exit,
    flushing nothing it inherited (w's files are flushed before the fork for that reason)."""
    w.flush()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:                      # the child
        code = 0
        try:
            os.close(read_end)
            gc.disable()              # a collection would touch, hence copy, every page of the graph
            with ImportCsvWriter(w.folder, prefix=w.prefix + "r-") as mine:
                write(mine)
            out = pickle.dumps(("ok", mine.files))
        except BaseException as e:      # noqa: BLE001 — reported to the parent, which raises it
            out, code = pickle.dumps(("err", e if isinstance(e, CsvValueError) else BulkError(f"{type(e).__name__}: {e}"))), 1
        with os.fdopen(write_end, "wb") as f:
            f.write(out)
        os._exit(code)
    os.close(write_end)

    def wait() -> ImportFiles:
        with os.fdopen(read_end, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        if not data:
            raise BulkError("the process writing the relationships' files died")
        kind, value = pickle.loads(data)
        if kind == "err":
            raise value
        return value
    return wait


# -- the import itself ------------------------------------------------------------------------

@dataclass
class BulkReport:
    result: LoadResult
    files: int
    extract_s: float
    import_s: float            # the CSV files, the server stopped, the importer, the server started
    schema_s: float
    csv_s: float = 0.0         # … of which the CSV files
    importer_s: float = 0.0    # … and the importer itself


def database_is_empty(store) -> bool:
    with store.session(write=False) as s:
        return s.run("MATCH (n) RETURN count(n) > 0 AS any").single()["any"] is False


def run_importer(server, files, database: str = "neo4j", heap: str | None = None) -> None:
    """`neo4j-admin database import full` on the local server's home (the server must be stopped)."""
    conf = server.home / "admin-conf"
    conf.mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text("", encoding="utf-8")     # nothing but the defaults, under this home
    env = {**os.environ, "NEO4J_HOME": str(server.home.resolve()), "NEO4J_CONF": str(conf.resolve())}
    from kg.server import memory_settings
    heap = memory_settings(heap).heap
    cmd = ["java", f"-Xmx{heap}", "--add-opens=java.base/java.nio=ALL-UNNAMED",
           "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
           "-cp", server.classpath(), "org.neo4j.cli.AdminTool", "database", "import", "full",
           *importer_args(files), "--overwrite-destination=true", f"--report-file={server.home / 'import.report'}",
           database]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=server.home)
    with open(server.home / "import.log", "w", encoding="utf-8") as log:
        log.write(p.stdout + p.stderr)
    if p.returncode != 0:
        tail = (p.stdout + p.stderr).strip().splitlines()[-5:]
        raise BulkError(f"the Neo4j importer failed, and the server is stopped (see {server.home / 'import.log'}; "
                        "`kg neo4j start` starts it again): " + " | ".join(tail))


# transactions setting the empty lists at once (each row its own node or relationship: no conflicts)
CONCURRENCY = max(2, os.cpu_count() or 2)


def restore_lists(store, files) -> None:
    """The importer stores no empty array, nor tells [''] from []; the online writer stores both
    (and appends to them later). Set them after the import (the key constraints exist by then)."""
    support = _support()

    def check_type(t):
        if t not in load_schema().relationships and t not in load_schema().derived and t != support:
            raise ValueError(f"unknown relationship type {t!r}")
        return t

    def check_prop(prop):
        if not prop.replace("_", "").isalnum():
            raise ValueError(f"unexpected property name {prop!r}")
        return prop

    with store.session() as s:
        for kind, what, prop in sorted(files.empty_lists):
            prop = check_prop(prop)
            if kind == "node":
                q = (f"MATCH (n:{_check_label(what.split(':')[0])}) WHERE n.`{prop}` IS NULL "
                     f"CALL (n) {{ SET n.`{prop}` = [] }} IN {CONCURRENCY} CONCURRENT TRANSACTIONS OF 20000 ROWS")
            else:
                q = (f"MATCH ()-[r:{check_type(what)}]->() WHERE r.`{prop}` IS NULL "
                     f"CALL (r) {{ SET r.`{prop}` = [] }} IN {CONCURRENCY} CONCURRENT TRANSACTIONS OF 20000 ROWS")
            s.run(q).consume()
        groups: dict[tuple, list] = defaultdict(list)
        for kind, ident, prop, value in files.fixups:
            if kind == "node":
                label, key = ident.split(":", 1)
                groups[("node", _check_label(label), check_prop(prop))].append({"k": key, "v": value})
            else:
                (sl, sk), (tl, tk) = (x.split(":", 1) for x in ident[:2])
                rtype = ident[2]
                groups[("rel", _check_label(sl), check_type(rtype), _check_label(tl), check_prop(prop))].append(
                    {"s": sk, "t": tk, "v": value})
        for g, rows in groups.items():
            if g[0] == "node":
                q = f"UNWIND $rows AS row MATCH (n:{g[1]} {{key: row.k}}) SET n.`{g[2]}` = row.v"
            else:
                q = (f"UNWIND $rows AS row MATCH (a:{g[1]} {{key: row.s}})-[r:{g[2]}]->(b:{g[3]} {{key: row.t}}) "
                     f"SET r.`{g[4]}` = row.v")
            s.execute_write(lambda tx: tx.run(q, rows=rows).consume())


@contextmanager
def _no_cycle_collection():
    """The cycle collector off while the graph is built in memory. The graph only grows (millions
    of dicts and lists, none in a cycle), so every collection rescans all of it for nothing: at
    20,000 letters the default collector made resolution 3x slower, and it got slower with every
    batch (230 → 170 letters/s with raised thresholds; flat at 260 without it). What the batches
    drop is freed by reference counts; the few cycles made meanwhile (11 objects in 5,000
    letters) are left for later. At the end everything alive is frozen (gc.freeze) rather than
    collected: a collection would scan the whole graph once more (9 s at 20,000 letters), and
    the graph, frozen, is still freed by reference counts when it is dropped."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def bulk_load(paths, failed: list, jobs=None, batch_size: int = 500, progress: bool = True,
              dask=None) -> BulkReport:
    """Extract, resolve, write CSV, import into the local server's (empty) database, index.
    With `progress`, each phase after the extraction's progress bar is announced on stderr (at
    100,000 letters they take minutes with nothing else to show)."""
    def say(line: str) -> None:
        if progress:
            print(f"kg: {line}", file=sys.stderr, flush=True)

    from kg.pipeline import batched, stream_graphs
    from kg.server import LocalServer
    from kg.store.neo4j_store import Neo4jConfig, Neo4jStore
    server = LocalServer.from_env()
    config = Neo4jConfig.from_env()
    from urllib.parse import urlparse
    u = urlparse(config.uri)
    if (u.hostname not in ("127.0.0.1", "localhost") or (u.port or 7687) != server.port
            or (config.database or "neo4j") != "neo4j"):
        raise BulkError(f"--bulk imports into the local server of `kg neo4j start` ({server.uri}, database neo4j), "
                        f"not {config.uri}")
    was_running = server.running()
    # a server that runs was started as its user chose (--allow-root included): restart it alike
    restart = {"allow_root": True} if was_running else {}
    if was_running:
        with Neo4jStore(config) as store:
            if not database_is_empty(store):
                raise BulkError("the Neo4j database is not empty: --bulk is for a first load "
                                "(load more letters without --bulk)")
    elif (server.home / "data" / "databases" / "neo4j").exists():
        server.start()
        restart = {"allow_root": True}
        with Neo4jStore(config) as store:
            empty = database_is_empty(store)
        if not empty:
            raise BulkError("the Neo4j database is not empty: --bulk is for a first load "
                            "(load more letters without --bulk)")
    t0 = time.monotonic()
    server.home.mkdir(parents=True, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bulk-csv-", dir=server.home)     # under the 0700 home
    out = ImportCsvWriter(work)
    try:
        graph, result = MemoryGraph(out), LoadResult()
        with _no_cycle_collection():
            for batch in batched(stream_graphs(paths, failed, jobs=jobs, progress=progress, dask=dask), batch_size):
                graph.load(batch, result, batch_size)
        t1 = time.monotonic()
        if not graph.nodes:                 # nothing could be read: nothing to import
            return BulkReport(result, 0, t1 - t0, 0.0, 0.0)
        say(f"{len(result.loaded):,} letters merged in {t1 - t0:.0f} s; writing the importer's files…")
        files = graph.write_csv(parallel=True)
        del graph
        t_csv = time.monotonic()
        say(f"importing {files.node_count:,} nodes and {files.relationship_count:,} relationships (facts, their "
            "support links and co-issued pairs; the server is stopped meanwhile)…")
        server.stop()
        t_stop = time.monotonic()
        run_importer(server, files)
        t_imp = time.monotonic()
    finally:
        out.close()
        shutil.rmtree(work, ignore_errors=True)
        gc.unfreeze()        # what _no_cycle_collection froze, the graph gone: back to the collector
    say("starting the server; constraints and indexes…")
    server.start(**restart)
    t2 = time.monotonic()
    with Neo4jStore(Neo4jConfig.from_env()) as store:
        store.apply_schema()
        restore_lists(store, files)
    t3 = time.monotonic()
    return BulkReport(result, len(files.nodes) + len(files.relationships), t1 - t0, t2 - t1, t3 - t2,
                      csv_s=t_csv - t1, importer_s=t_imp - t_stop)
