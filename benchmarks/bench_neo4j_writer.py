"""Batched UNWIND writer vs a naive one-statement-per-fact writer, on a real Neo4j.

    python benchmarks/bench_neo4j_writer.py [--docs N]

Runs its own Neo4j server (the one `kg neo4j start` runs) with its data in a
temporary folder, so no database of yours is touched; loads N synthetic letters
with each writer into it, and prints relationships per second of each and their ratio."""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import letter  # noqa: E402

from kg.extract import extract  # noqa: E402
from kg.pipeline import finalize  # noqa: E402
from kg.records import RawDocument  # noqa: E402
from kg.server import LocalServer  # noqa: E402
from kg.store.neo4j_store import Neo4jStore  # noqa: E402


def naive_load(store: Neo4jStore, graphs) -> None:
    """What a first attempt looks like: every node and every relationship its own auto-commit statement."""
    with store.session() as s:
        for dg in graphs:
            for n in dg.nodes.values():
                s.run(f"MERGE (n:{n.label} {{key: $key}}) SET n.name = $name, n.kind = $kind, "
                      "n.aliases = $aliases, n.docs = coalesce(n.docs, []) + $doc",
                      key=n.key, name=n.name, kind=n.kind, aliases=sorted(n.aliases), doc=dg.doc_id).consume()
            for r in dg.relationships.values():
                sl, sk = r.source.split(":", 1)
                tl, tk = r.target.split(":", 1)
                s.run(f"MATCH (a:{sl} {{key: $s}}) MATCH (b:{tl} {{key: $t}}) MERGE (a)-[r:{r.type}]->(b) "
                      "SET r.docs = coalesce(r.docs, []) + $doc, r.evidence_sentences = $ev, r.properties_json = $p",
                      s=sk, t=tk, doc=dg.doc_id, ev=[e.sentence for e in r.evidence],
                      p=json.dumps(r.properties, ensure_ascii=False)).consume()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--batch", type=int, default=500, help="documents per transaction of the batched writer")
    ap.add_argument("--naive-docs", type=int, default=200, help="letters for the (slow) naive writer")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the batched writer; the best counts")
    args = ap.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    home = tempfile.mkdtemp(prefix="kg-bench-neo4j-")
    os.environ.update({"KG_NEO4J_HOME": home, "NEO4J_URI": f"bolt://127.0.0.1:{port}"})
    os.environ.pop("NEO4J_DATABASE", None)
    server = LocalServer.from_env()
    print(f"starting a Neo4j server for the benchmark: {server.start()}", file=sys.stderr)
    try:
        return run(args)
    finally:
        server.stop()


def run(args) -> int:
    graphs = [finalize(extract(RawDocument(doc_id, text))) for doc_id, text, _gold in map(letter, range(args.docs + 10))]
    warm, graphs = graphs[:10], graphs[10:]
    rels = sum(len(g.relationships) for g in graphs)
    store = Neo4jStore()
    store.apply_schema()
    store.load(graphs)       # a fresh JVM is slow until its JIT has seen the work: warm it with a full load
    rows = []
    # The naive writer's rate is one round trip per fact whatever the size, so it runs on at most
    # --naive-docs letters; each writer's best of --repeat runs counts (a server that has just
    # deleted a whole database is busy for a while).
    naive_graphs = graphs[:args.naive_docs]
    for name, run, gs, repeat in (
            (f"batched (UNWIND, {args.batch} documents per transaction)",
             lambda gs: store.load(gs, batch_size=args.batch), graphs, args.repeat),
            ("naive (one statement per fact)", lambda gs: naive_load(store, gs), naive_graphs, 1)):
        best = None
        for _ in range(repeat):
            store.clear()
            store.apply_schema()
            run(warm)            # let the server plan each statement once before timing
            t = time.perf_counter()
            run(gs)
            dt = time.perf_counter() - t
            n_rels = sum(len(g.relationships) for g in gs)
            if best is None or n_rels / dt > best[1]:
                best = (name, n_rels / dt, dt, len(gs))
        rows.append(best)
    store.close()
    print(f"{args.docs} documents, {rels} relationships, Neo4j at {store.config.uri}")
    print(f"{'writer':<50}{'documents':>10}{'rels/s':>10}{'seconds':>10}")
    for name, rate, dt, n in rows:
        print(f"{name:<50}{n:>10}{rate:>10.0f}{dt:>10.1f}")
    print(f"ratio batched/naive: {rows[0][1] / rows[1][1]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
