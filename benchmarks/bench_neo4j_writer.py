"""Batched UNWIND writer vs a naive one-statement-per-fact writer, on a real Neo4j.

    python benchmarks/bench_neo4j_writer.py [--docs N]

Starts the local server (kg neo4j start) unless NEO4J_URI points at a running one,
loads N synthetic letters with each writer into an emptied database, and prints
relationships per second of each and their ratio."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import variants  # noqa: E402

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
    args = ap.parse_args()
    server = LocalServer.from_env()
    if not server.port_open():
        print(f"starting {server.start()}", file=sys.stderr)
    graphs = [finalize(extract(RawDocument(doc_id, text))) for doc_id, text in variants(args.docs + 10)]
    warm, graphs = graphs[:10], graphs[10:]
    rels = sum(len(g.relationships) for g in graphs)
    store = Neo4jStore()
    rows = []
    for name, run in ((f"batched (UNWIND, {args.batch} documents per transaction)",
                       lambda gs: store.load(gs, batch_size=args.batch)),
                      ("naive (one statement per fact)", lambda gs: naive_load(store, gs))):
        store.clear()
        store.apply_schema()
        run(warm)            # let the server plan and compile each statement once before timing
        t = time.perf_counter()
        run(graphs)
        dt = time.perf_counter() - t
        rows.append((name, rels / dt, dt))
    store.close()
    print(f"{args.docs} documents, {rels} relationships, Neo4j at {store.config.uri}")
    print(f"{'writer':<50}{'rels/s':>10}{'seconds':>10}")
    for name, rate, dt in rows:
        print(f"{name:<50}{rate:>10.0f}{dt:>10.1f}")
    print(f"ratio batched/naive: {rows[0][1] / rows[1][1]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
