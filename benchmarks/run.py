"""The benchmark: one command, one table (each figure a rate or a ratio measured in this run).

    python benchmarks/run.py [--docs 100000] [--work DIR]     (or: ./run bench)

Writes a synthetic corpus of --docs letters (benchmarks/synthetic.py, cached in DIR), then
measures: extraction on one core (the synthetic letters, and letters of real length) and on
all cores; the embedded store (load rate at 1,000 letters and at the corpus size, one more
letter into each, named-query latency); HTML for a 5,000-node view; the Neo4j writer batched
vs naive; the whole corpus into an empty Neo4j by `kg load --neo4j --bulk`, end to end (with
its phases and the loader's peak memory); named-query latency on that graph (first reads,
then a server in use); and the online writer adding 1,000 more letters to it. Neo4j runs as
its own server on a free port with its data in DIR, so no database of yours is touched. The
table is printed and written to DIR/results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_queries  # noqa: E402
import synthetic  # noqa: E402
from bench_neo4j_writer import naive_load  # noqa: E402

import loaders  # noqa: E402
from kg import query as q  # noqa: E402
from kg import viz  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402
from kg.pipeline import extract_one, extract_to_shards, finalize, stream_graphs  # noqa: E402
from kg.server import LocalServer  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from kg.store.neo4j_store import Neo4jStore  # noqa: E402

GENRE_LETTERS = ROOT / "tests" / "genre_letters" / "corpus"
SEED_CHARS = len((ROOT / "corpus" / "jilin-kjt-2022-L37.txt").read_text(encoding="utf-8"))


class Table:
    def __init__(self):
        self.rows = []

    def add(self, measure: str, value: str, target: str = "", note: str = ""):
        self.rows.append((measure, value, target, note))
        print(f"  {measure}: {value}" + (f"  (target {target})" if target else "") + (f"  {note}" if note else ""),
              file=sys.stderr, flush=True)

    def markdown(self) -> str:
        out = ["| measure | result | target | |", "|---|---|---|---|"]
        out += [f"| {m} | {v} | {t} | {n} |" for m, v, t, n in self.rows]
        return "\n".join(out)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")) / 2**20
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def corpus(work: Path, n: int) -> list[Path]:
    marker = work / "corpus.json"
    want = {"docs": n, "seed": 1, "generator": (HERE / "synthetic.py").stat().st_size}
    if not (marker.exists() and json.loads(marker.read_text()) == want):
        shutil.rmtree(work / "corpus", ignore_errors=True)
        t = time.perf_counter()
        synthetic.write_corpus(work, n, with_gold=False)
        marker.write_text(json.dumps(want))
        print(f"wrote {n} synthetic letters in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return sorted((work / "corpus").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def extraction(t: Table, paths: list[Path]) -> list:
    one = paths[:2000]
    chars = sum(len(loaders.read(p).text) for p in one[:200]) / min(200, len(one))
    start = time.perf_counter()
    for p in one:
        extract_one(p)
    rate1 = len(one) / (time.perf_counter() - start)
    t.add("extraction, one core", f"{rate1:.0f} letters/s", "≥ 500 letters/s",
          f"synthetic letters of {chars:.0f} characters on average (the sample letter: {SEED_CHARS}); "
          f"{rate1 * chars / 1000:.0f} k characters/s")
    genre_letters(t)
    many = paths[:10000]
    failed: list = []
    start = time.perf_counter()
    graphs = []
    for g in stream_graphs(many, failed, progress=False, jobs=os.cpu_count()):
        if len(graphs) < 5000:
            graphs.append(g)
    rate_n = len(many) / (time.perf_counter() - start)
    t.add(f"extraction, all {os.cpu_count()} cores (`kg load --jobs`)", f"{rate_n:.0f} letters/s",
          "", f"{rate_n / rate1:.2f}× one core; {len(many)} letters, worker start-up included, graphs rebuilt in the loader")
    # the scaling ratio: the same letters through the same job (workers writing shards), on
    # one worker and on all cores, so that the ratio counts only what the second core adds
    same = paths[:4000]
    rates, size = {}, 0
    for jobs in (1, os.cpu_count()):
        shard_dir = Path(tempfile.mkdtemp(prefix="kg-bench-shards-"))
        start = time.perf_counter()
        files = extract_to_shards(same, shard_dir, jobs=jobs)
        rates[jobs] = len(same) / (time.perf_counter() - start)
        size = sum(Path(f).stat().st_size for f in files)
        shutil.rmtree(shard_dir, ignore_errors=True)
    rate_s = rates[os.cpu_count()]
    t.add(f"extraction into shards, all {os.cpu_count()} cores", f"{rate_s:.0f} letters/s", "≥ 1.8× one core",
          f"{rate_s / rates[1]:.2f}× the same job on one worker ({rates[1]:.0f} letters/s), {rate_s / rate1:.2f}× "
          f"extraction in one process; {len(same)} letters, the workers alone (kg.pipeline.extract_to_shards), "
          f"{size / len(same) / 1024:.0f} KiB of shard a letter")
    return graphs


def genre_letters(t: Table) -> None:
    """One core on letters of the length real replies have: the 80 genre letters the tests
    score (written in the shapes of published ones), read again until 2,000 extractions."""
    raws = [loaders.read(p) for p in sorted(GENRE_LETTERS.glob("*.txt"))]
    if not raws:
        return
    chars = sum(len(r.text) for r in raws) / len(raws)
    rounds = max(1, 2000 // len(raws))
    start = time.perf_counter()
    for _ in range(rounds):
        for r in raws:
            finalize(extract(r))
    rate = rounds * len(raws) / (time.perf_counter() - start)
    t.add("extraction, one core, letters of real length", f"{rate:.0f} letters/s", "",
          f"the {len(raws)} genre letters of tests/, {chars:.0f} characters on average, {rounds} rounds; "
          f"{rate * chars / 1000:.0f} k characters/s")


def embedded(t: Table, graphs: list, work: Path, docs: int, jobs: int) -> EmbeddedStore:
    """The embedded store (benchmarks/bench_embedded.py): load rate at 1,000 letters and at the
    corpus size, one more letter at both, named queries; then the graph the HTML view is drawn from."""
    import bench_embedded
    bench_embedded.run(sorted({min(1000, docs), docs}), work, jobs,
                       add=lambda measure, value, note="": t.add(measure, value, "p95 < 50 ms" if "p95" in measure else "", note))
    path = work / "embedded-view"
    shutil.rmtree(path, ignore_errors=True)
    store = EmbeddedStore(path)
    for i in range(0, len(graphs), 500):
        store.load(graphs[i:i + 500])
    return store


def html(t: Table, store: EmbeddedStore, work: Path) -> None:
    start = time.perf_counter()
    g, _ = viz.limit(store.g, 5000)
    out = work / "view-5000.html"
    viz.write_html(g, out, title="benchmark")
    dt = time.perf_counter() - start
    t.add("HTML for a 5,000-node view", f"{dt:.1f} s", "",
          f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships, {out.stat().st_size / 2**20:.1f} MB")


def writer(t: Table, graphs: list) -> None:
    store = Neo4jStore()
    store.clear()
    store.apply_schema()
    k = min(1000, (len(graphs) - 10) // 3)
    warm, batch, naive, jit = graphs[:10], graphs[10:10 + k], graphs[10 + k:10 + k + k // 5], graphs[10 + 2 * k:10 + 3 * k]
    store.load(warm)
    store.load(jit)      # a fresh JVM is slow until its JIT has seen the work
    rates = []
    for name, run, gs in (("batched", lambda gs: store.load(gs), batch),
                          ("naive", lambda gs: naive_load(store, gs), naive)):
        store.clear()
        store.apply_schema()
        run(warm)
        start = time.perf_counter()
        run(gs)
        rates.append(sum(len(g.relationships) for g in gs) / (time.perf_counter() - start))
    store.clear()
    store.close()
    t.add("Neo4j writer, batched vs naive", f"{rates[0] / rates[1]:.1f}×", "",
          f"{rates[0]:.0f} vs {rates[1]:.0f} relationships/s (UNWIND, 500 letters per transaction vs one statement per fact)")


ONLINE = 1000     # letters the online writer adds to the bulk-loaded graph, in one batch


def neo4j_phase(t: Table, work: Path, n: int, jobs: int) -> None:
    """The whole corpus into the empty database by the bulk path, as a user runs it; named queries
    on that graph (first reads since the server started, then in use); then the online writer,
    which takes every later load, adding ONLINE more letters to it (bench_queries.py's parts)."""
    def add(measure: str, value: str, note: str = "") -> None:
        target = ("p95 < 50 ms" if "named queries by name" in measure else
                  "< 1 s" if "co_issuance_network 0–9999" in measure else
                  "< 10 min" if "end to end" in measure else "")
        t.add(measure, value, target, note)
    bench_queries.bulk_load(work / "corpus", n, jobs, say=add)
    store = Neo4jStore()
    lib = q.library()
    bench_queries.time_queries("Neo4j", lambda name, ps: q.run_cypher(store, lib[name].cypher, ps)[1],
                               bench_queries.params_for(n), say=add)
    bench_queries.online_batch(store, n, ONLINE, say=add)
    store.close()


def query_params(n: int, k: int = 40) -> dict[str, list[dict]]:
    """Parameters for each named query, from the gold of letters spread over the corpus."""
    rnd = random.Random(5)
    out: dict[str, list[dict]] = {}
    for i in sorted(rnd.sample(range(n), min(k, n))):
        _, _, gold = synthetic.letter(i)
        ents = gold["entities"]
        by = lambda label, kind=None: [e["name"] for e in ents if e["label"] == label and (kind is None or e.get("kind") == kind)]
        replier = next(e["name"] for e in ents if e["label"] == "Agency" and e["required"])
        policies = by("Policy")
        alliances = by("Institution", "alliance")
        person = by("Person")[0]
        out.setdefault("co_issuers", []).append({"policy": policies[0]} if policies else None)
        out.setdefault("documents_mentioning", []).append({"name": replier})
        out.setdefault("entity_facts", []).append({"name": replier})
        out.setdefault("implementation_chain", []).append({"policy": policies[-1]} if policies else None)
        out.setdefault("members", []).append({"of": alliances[0]} if alliances else None)
        out.setdefault("programs_led", []).append({"body": replier})
        out.setdefault("replies", []).append({"proposer": person, "session": ""})
        members = [e["name"] for e in ents if e["label"] == "Institution" and e.get("kind") == "enterprise"]
        out.setdefault("shortest_path", []).append({"from": replier, "to": members[0]} if members else None)
        out.setdefault("co_issuance_network", []).append({"from_year": "0", "to_year": "9999"})
    return {name: [p for p in ps if p] for name, ps in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000, help="letters in the corpus (default 100000)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench",
                    help="corpus, Neo4j data and results (default: a folder in the temp dir)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    t = Table()
    print(f"machine: {machine()}", file=sys.stderr)
    paths = corpus(a.work, a.docs)
    graphs = extraction(t, paths)
    store = embedded(t, graphs, a.work, len(paths), a.jobs)
    html(t, store, a.work)
    del store
    home = a.work / "neo4j"
    shutil.rmtree(home, ignore_errors=True)
    os.environ.update({"KG_NEO4J_HOME": str(home), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"})
    os.environ.pop("NEO4J_DATABASE", None)
    server = LocalServer.from_env()
    print(f"starting a Neo4j server for the benchmark: {server.start(heap=os.environ.get('KG_NEO4J_HEAP', '2g'))}",
          file=sys.stderr)
    try:
        writer(t, graphs)            # (it leaves the database empty)
        del graphs
        neo4j_phase(t, a.work, len(paths), a.jobs)
    finally:
        server.stop()
    report = f"Machine: {machine()}.\n\n{t.markdown()}\n"
    (a.work / "results.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
