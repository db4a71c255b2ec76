"""The embedded store alone: load rate, the cost of one more letter as the store grows, and
named-query latency, on synthetic letters (extracted once, cached in the work folder).

    python benchmarks/bench_embedded.py --sizes 1000,10000 [--work DIR] [--jobs N]

For each size S (ascending, one store grown from the smallest): the rate of loading the
letters that take it to S (batches of 500, one transaction each), then the time to load one
more letter into it (median of 5, each its own transaction, each removed again), then the
named queries' p50 / p95 with names from letters across the corpus. Also called by run.py.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
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
from kg.pipeline import stream_graphs  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402

EXTRA = 5     # letters beyond the largest size, for the one-more-letter timings


def graph_stream(work: Path, n: int, jobs: int):
    """n + EXTRA extracted synthetic letters, streamed as they are extracted: 100,000 letters'
    graphs do not fit in memory at once (24 GB were not enough), and the store loads in batches."""
    corpus = work / "emb-corpus"
    have = len(list((corpus / "corpus").glob("*.txt"))) if corpus.exists() else 0
    if have != n + EXTRA:
        shutil.rmtree(corpus, ignore_errors=True)
        synthetic.write_corpus(corpus, n + EXTRA, with_gold=False)
    failed: list = []
    return stream_graphs(sorted((corpus / "corpus").glob("*.txt")), failed, progress=False, jobs=jobs)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def query_times(store: EmbeddedStore, params: dict[str, list[dict]]) -> tuple[list[float], dict[str, list[float]]]:
    lib = q.library()
    lookups, per = [], {}
    for name, ps in sorted(params.items()):
        nq = lib[name]
        if name == "co_issuance_network":
            ps = ps[:6]
        times = []
        for p in ps:
            start = time.perf_counter()
            store.query(name, nq.bind(p))
            times.append((time.perf_counter() - start) * 1000)
        per[name] = times
        if name != "co_issuance_network":
            lookups += times
    return lookups, per


def run(sizes: list[int], work: Path, jobs: int, add=None) -> None:
    """add(measure, value, note): where the figures go (run.py's table, or stderr)."""
    add = add or (lambda m, v, note="": print(f"  {m}: {v}  {note}", file=sys.stderr, flush=True))
    sizes = sorted(sizes)
    graphs = iter(graph_stream(work, sizes[-1], jobs))
    extra = [next(graphs) for _ in range(EXTRA)]
    path = work / "embedded"
    shutil.rmtree(path, ignore_errors=True)
    store = EmbeddedStore(path)
    done = 0
    from run import query_params      # names from the gold of letters across the corpus
    for size in sizes:
        dt, batch, first = 0.0, [], done
        while done < size:            # only the store's own time counts, not the extraction's
            batch.append(next(graphs))
            done += 1
            if len(batch) == 500 or done == size:
                start = time.perf_counter()
                store.load(batch)
                dt += time.perf_counter() - start
                batch = []
        done = first
        rate = (size - done) / dt
        stats = store.stats()
        add(f"embedded store, load to {size:,} letters", f"{rate:.0f} letters/s",
            f"letters {done + 1:,}–{size:,} in batches of 500; {stats['nodes']:,} nodes, "
            f"{stats['relationships']:,} relationships, {os.path.getsize(store.file) / 2**20:.0f} MB")
        done = size
        one = []
        for _ in range(3):
            for g in extra:
                start = time.perf_counter()
                store.load([g])
                one.append((time.perf_counter() - start) * 1000)
                store.remove(g.doc_id)
        add(f"embedded store, one more letter into {size:,}", f"{statistics.median(one):.0f} ms",
            f"median of {len(one)} (min {min(one):.0f} ms), each its own transaction, removed again")
        lookups, per = query_times(store, query_params(size))
        add(f"embedded named queries by name (8 of 9) at {size:,}, p50 / p95",
            f"{statistics.median(lookups):.1f} / {p95(lookups):.1f} ms",
            f"{len(lookups)} runs; " + ", ".join(f"{n} {statistics.median(t):.1f}/{p95(t):.1f}"
                                                 for n, t in per.items() if n != "co_issuance_network"))
        t = per.get("co_issuance_network", [])
        if t:
            add(f"embedded co_issuance_network (whole graph) at {size:,}, p50", f"{statistics.median(t):.0f} ms", "")
    if done <= 20_000:                # beyond, building the whole networkx graph takes minutes
        t = time.perf_counter()
        g = store.to_networkx()
        add(f"embedded store → networkx at {done:,}", f"{time.perf_counter() - t:.1f} s",
            f"{g.number_of_nodes():,} nodes (kg export, kg viz, notebooks)")
    store.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="store sizes in letters, comma-separated")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    run([int(s) for s in a.sizes.split(",")], a.work, a.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
