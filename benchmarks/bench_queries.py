"""Named-query latency on both stores, and `kg load --neo4j --bulk` end to end, on synthetic letters.

    python benchmarks/bench_queries.py --docs 20000 [--work DIR] [--jobs N] [--skip-embedded] [--skip-neo4j]

Writes (or reuses) a corpus of --docs synthetic letters (benchmarks/synthetic.py) in DIR; then
  - the embedded store: the letters extracted and loaded in batches of 500 (only the store's
    own time counts), then every named query with names from letters across the corpus;
  - Neo4j: a fresh server of its own (home in DIR, a free port) filled by `kg load --neo4j --bulk`,
    timed end to end as a user runs it (extraction included), then the same queries.
co_issuance_network is timed over the whole graph and over a range of years. Prints one line a
figure; each figure is measured in this run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synthetic  # noqa: E402

from kg import query as q  # noqa: E402

WHOLE = "co_issuance_network"
RANGES = [{"from_year": "0", "to_year": "9999"}, {"from_year": "2018", "to_year": "2021"},
          {"from_year": "2022", "to_year": "2023"}]
EVERY = {"from_year": "0", "to_year": "9999", "limit": "0"}    # every pair (not in the older query)


def say(measure: str, value: str, note: str = "") -> None:
    print(f"  {measure}: {value}" + (f"  ({note})" if note else ""), flush=True)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def corpus(work: Path, n: int) -> Path:
    folder = work / f"corpus-{n}"
    have = len(list((folder / "corpus").glob("*.txt"))) if (folder / "corpus").exists() else 0
    if have != n:
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        synthetic.write_corpus(folder, n, with_gold=False)
        print(f"wrote {n} synthetic letters in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return folder / "corpus"


def params_for(n: int) -> dict[str, list[dict]]:
    from run import query_params
    ps = query_params(n)
    ps[WHOLE] = RANGES + ([EVERY] if "limit" in q.library()[WHOLE].params else [])
    return ps


def time_queries(label: str, run, params: dict[str, list[dict]], say=say) -> None:
    """run(name, bound params) → rows; p50 / p95 per query and over the lookups. Each lookup's
    parameters run twice: the first pass reads each entity for the first time since the server
    started (its pages from disk), the second is a server in use; both are reported (`say`:
    where the figures go, run.py's table or stdout)."""
    lib = q.library()
    lookups, first_reads = [], []
    for name, ps in sorted(params.items()):
        nq = lib[name]
        for p in ps[:2]:                          # plans compiled
            run(name, nq.bind(p))
        times, rows = [], []
        reps = 3 if name == WHOLE else 1
        passes = 1 if name == WHOLE else 2
        for _ in range(passes):
            for p in ps:
                for _ in range(reps):
                    start = time.perf_counter()
                    out = run(name, nq.bind(p))
                    times.append((time.perf_counter() - start) * 1000)
                    rows.append(len(out))
        if name == WHOLE:
            for p, i in zip(ps, range(0, len(times), reps)):
                t = times[i:i + reps]
                say(f"{label} {name} {p['from_year']}–{p['to_year']}" + (f" limit {p['limit']}" if "limit" in p else ""),
                    f"{statistics.median(t):.0f} ms",
                    f"median of {reps}, {rows[i]:,} rows")
        else:
            first, again = times[:len(ps)], times[len(ps):]
            lookups += again
            first_reads += first
            say(f"{label} {name}, p50 / p95", f"{statistics.median(again):.1f} / {p95(again):.1f} ms",
                f"{len(again)} runs, up to {max(rows):,} rows; first reads {statistics.median(first):.1f} / {p95(first):.1f} ms")
    say(f"{label} named queries by name (8 of 9), p50 / p95", f"{statistics.median(lookups):.1f} / {p95(lookups):.1f} ms",
        f"{len(lookups)} runs, the second pass")
    say(f"{label} … their first reads since the server started, p50 / p95",
        f"{statistics.median(first_reads):.1f} / {p95(first_reads):.1f} ms", f"{len(first_reads)} runs")


def embedded(work: Path, letters: Path, n: int, jobs: int) -> None:
    from kg.pipeline import batched, stream_graphs
    from kg.store import EmbeddedStore
    path = work / f"embedded-{n}"
    shutil.rmtree(path, ignore_errors=True)
    store = EmbeddedStore(path)
    failed: list = []
    dt = 0.0
    for batch in batched(stream_graphs(sorted(letters.glob("*.txt")), failed, progress=False, jobs=jobs), 500):
        start = time.perf_counter()
        store.load(batch)
        dt += time.perf_counter() - start
    st = store.stats()
    say(f"embedded store, load {n:,} letters", f"{n / dt:.0f} letters/s",
        f"the store's own time {dt:.0f} s; {st['nodes']:,} nodes, {st['relationships']:,} relationships, "
        f"{os.path.getsize(store.file) / 2**20:.0f} MB")
    time_queries("embedded", lambda name, p: store.query(name, p)[1], params_for(n))
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REMOVALS = 6       # letters kg remove takes away after the online batch (the first one is timed apart)


def online_batch(store, n: int, k: int, say=say) -> None:
    """k more letters (synthetic letters n, n+1, …) into the graph by the online writer, in one
    batch; the share of its time that keeping CO_ISSUED takes; then the letters removed again."""
    from kg.extract import extract
    from kg.pipeline import finalize
    from kg.records import RawDocument
    from kg.store import neo4j_store
    graphs = [finalize(extract(RawDocument(doc_id, text))) for doc_id, text, _ in map(synthetic.letter, range(n, n + k))]
    spent = []
    kept = hasattr(neo4j_store, "_CoIssued")       # (an older writer, for comparison, keeps none)
    apply = neo4j_store._CoIssued.apply if kept else None

    def timed(self, *a, **kw):
        t = time.perf_counter()
        try:
            return apply(self, *a, **kw)
        finally:
            spent.append(time.perf_counter() - t)
    if kept:
        neo4j_store._CoIssued.apply = timed
    try:
        start = time.perf_counter()
        store.load(graphs, batch_size=k)
        dt = time.perf_counter() - start
        with store.session(write=False) as s:
            pairs = s.run("MATCH ()-[c:CO_ISSUED]->() RETURN count(c) AS c").single()["c"]
        say(f"online writer, {k} more letters into the {n:,}-letter graph (one batch)", f"{dt:.1f} s",
            f"{k / dt:.0f} letters/s; keeping CO_ISSUED {sum(spent):.1f} s of it ({sum(spent) / dt:.0%}); {pairs:,} pairs")
        # the first removal plans its statements; the next ones are what a user sees in use
        took, co = [], []
        for g in graphs[:REMOVALS]:
            start, spent[:] = time.perf_counter(), []
            store.remove(g.doc_id)
            took.append(time.perf_counter() - start)
            co.append(sum(spent))
        rest = sorted(took[1:])
        say("online writer, kg remove of one of them (median of the next ones)",
            f"{rest[len(rest) // 2] * 1000:.0f} ms" if rest else "–",
            f"{len(rest)} letters, max {max(rest, default=0) * 1000:.0f} ms; the first {took[0] * 1000:.0f} ms "
            f"(CO_ISSUED {co[0] * 1000:.0f} ms of it)")
    finally:
        if kept:
            neo4j_store._CoIssued.apply = apply


def bulk_load(letters: Path, n: int, jobs: int, say=say) -> float:
    """`kg load --neo4j --bulk` of the letters into the (empty) local server of KG_NEO4J_HOME, as a
    user runs it; its wall time (also reported, with the phases it printed and its peak memory)."""
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "kg.cli", "load", "--neo4j", "--bulk", "--jobs", str(jobs), str(letters)],
                       capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"kg load --neo4j --bulk failed:\n{p.stdout}\n{p.stderr[-3000:]}")
    say(f"`kg load --neo4j --bulk --jobs {jobs}`, {n:,} letters, end to end", f"{dt:.0f} s",
        f"{n / dt:.0f} letters/s; {p.stdout.strip().split('→')[-1].strip()}")
    # the largest process this one waited for (the loader, a worker of it or the importer): the
    # loader, which holds the graph (the server it starts at the end is not waited for)
    say("the loader's peak memory (largest process)", f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20:.2f} GiB")
    return dt


def neo4j(work: Path, letters: Path, n: int, jobs: int, reuse: bool = False, writer: int = 0,
          queries: bool = True) -> None:
    home = work / f"neo4j-{n}"
    if not reuse:
        shutil.rmtree(home, ignore_errors=True)
    env = {"KG_NEO4J_HOME": str(home), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "KG_NEO4J_ALLOW_ROOT": "1"}
    os.environ.update(env)
    os.environ.pop("NEO4J_DATABASE", None)
    os.environ.pop("NEO4J_PASSWORD", None)
    from kg.server import LocalServer
    from kg.store.neo4j_store import Neo4jStore
    server = LocalServer.from_env()
    try:
        if reuse:
            server.start(allow_root=True)
            store = Neo4jStore()
            if queries:
                time_queries("neo4j", lambda name, ps: q.run_cypher(store, q.library()[name].cypher, ps)[1], params_for(n))
            if writer:
                online_batch(store, n, writer)
            store.close()
            return
        bulk_load(letters, n, jobs)
        store = Neo4jStore()
        time_queries("neo4j", lambda name, ps: q.run_cypher(store, q.library()[name].cypher, ps)[1], params_for(n))
        nq = q.library()[WHOLE]
        with store.session(write=False) as s:
            plan = s.run("EXPLAIN " + nq.cypher, nq.bind({})).consume().plan
        ops = []

        def walk(p):
            ops.append(p.get("operatorType", "?").split("@")[0])
            for c in p.get("children", []):
                walk(c)
        walk(plan)
        say(f"neo4j {WHOLE} plan", " ← ".join(ops))
        store.close()
    finally:
        server.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-queries")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--skip-embedded", action="store_true")
    ap.add_argument("--skip-neo4j", action="store_true")
    ap.add_argument("--reuse-neo4j", action="store_true", help="the database of an earlier run, not loaded again")
    ap.add_argument("--writer", type=int, default=0, help="then N more letters by the online writer, timed")
    ap.add_argument("--no-queries", action="store_true", help="with --reuse-neo4j: the writer only")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    letters = corpus(a.work, a.docs)
    if not a.skip_embedded:
        embedded(a.work, letters, a.docs, a.jobs)
    if not a.skip_neo4j:
        neo4j(a.work, letters, a.docs, a.jobs, a.reuse_neo4j, a.writer, not a.no_queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
