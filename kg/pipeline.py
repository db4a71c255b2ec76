"""load → extract, for many paths: in this process or on worker processes (kg load --jobs),
streamed in input order, with one clear line per failed document."""
from __future__ import annotations

import os
import sys
import threading
import time

import loaders
from kg.extract import extract
from kg.records import DocGraph


def finalize(g: DocGraph) -> DocGraph:
    """Drop working state: list items never used in a fact, private properties."""
    used = {r.source for r in g.relationships.values()} | {r.target for r in g.relationships.values()}
    for nid in list(g.nodes):
        n = g.nodes[nid]
        if n.properties.get("_created") and nid not in used:
            del g.nodes[nid]
            continue
        n.properties = {k: v for k, v in n.properties.items() if not k.startswith("_")}
    return g


def extract_one(path) -> DocGraph:
    return finalize(extract(loaders.read(path)))


class Progress:
    """A progress bar on a terminal; silent when output goes to a file or a pipe."""

    def __init__(self, total: int, stream=None, label: str = "documents"):
        stream = stream or sys.stderr
        self.total, self.stream, self.label, self.done = total, stream, label, 0
        self.on = total > 1 and hasattr(stream, "isatty") and stream.isatty()

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.on:     # tqdm draws it: count, rate and time left
            if getattr(self, "_bar", None) is None:
                from tqdm import tqdm
                self._bar = tqdm(total=self.total, unit=" " + self.label, file=self.stream, dynamic_ncols=True,
                                 smoothing=0.1, mininterval=0.2)
            self._bar.update(n)

    def close(self) -> None:
        if getattr(self, "_bar", None) is not None:
            self._bar.close()


def known_pairs(known) -> frozenset:
    """What a store already holds, as (doc_id, content_hash) pairs: a store's `known_hashes()`
    may return pairs, a {doc_id: hash} mapping, or a callable giving either."""
    if known is None:
        return frozenset()
    if callable(known):
        known = known()
    if hasattr(known, "items"):
        known = known.items()
    return frozenset((str(d), str(h)) for d, h in known)


def _one(path, known: frozenset, doc_id: str | None = None):
    """("ok", graph) | ("same", doc_id) | ("err", line): a letter whose content the store
    already has is recognised by its hash, before it is extracted."""
    try:
        raw = loaders.read(path)
        if known and (doc_id or raw.doc_id, raw.content_hash) in known:
            return "same", doc_id or raw.doc_id
        return "ok", finalize(extract(raw))
    except loaders.LoadError as e:
        return "err", str(e)
    except MemoryError:
        return "err", f"{path}: out of memory extracting it (KG_WORKER_MEMORY)"
    except Exception as e:  # an extractor bug must not stop the batch; say which file
        return "err", f"{path}: extraction failed ({type(e).__name__}: {e})"


def extract_shard(paths, known=frozenset(), out_dir=None, ids=None):
    """Extract a chunk of letters into one shard (kg.shards): its bytes, or with `out_dir` the
    path of the file written there. The unit of work of `kg load --jobs` and of the Dask job.
    `ids`: the store's id of each path, for recognising known letters (default: the loader's)."""
    from kg import shards
    known = known if isinstance(known, frozenset) else known_pairs(known) if known else _KNOWN
    entries = []
    for i, p in enumerate(paths):
        kind, x = _one(p, known, ids[i] if ids else None)
        entries.append((kind, str(p), shards.encode_graph(x) if kind == "ok" else x))
    blob = shards.dumps(entries)
    return shards.write(blob, out_dir) if out_dir is not None else blob


_KNOWN: frozenset = frozenset()


def _worker_init(parent: int, known: frozenset = frozenset(), memory: int = 0):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the loader's to handle: no worker tracebacks
    global _KNOWN
    _KNOWN = known
    if memory:
        # a letter that needs more than this fails alone with MemoryError, before the kernel's
        # OOM killer picks a process
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    from kg.extract.names import gazetteer
    gazetteer()     # compile the naming data once per worker, not per document
    import gc
    gc.freeze()     # the naming data lives as long as the worker: no collection needs to scan it again
    # a worker whose loader was killed outright (SIGKILL, OOM) must not linger
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


AUTO_PARALLEL = 200     # below this many documents, starting worker processes costs more than it saves
WORKER_MEMORY = int(os.environ.get("KG_WORKER_MEMORY", 4 << 30))   # address space per worker, bytes (0: no limit)


class WorkerDied(Exception):
    """The process extracting a chunk died (killed, out of memory); the message says how."""


class _Pool:
    """Local worker processes (pebble): a worker that dies fails only the task it was running,
    and is replaced. Workers write their shards as files in a temporary folder."""

    def __init__(self, jobs: int, known: frozenset, work=None, folder=None):
        import multiprocessing
        import tempfile
        from pebble import ProcessPool
        self.width, self.work, self.live = jobs, work or extract_shard, []
        self.keep = folder is not None
        self.folder = str(folder) if folder is not None else tempfile.mkdtemp(prefix="kg-shards-")
        # spawn, not fork: the caller may already hold a database driver with threads
        self.pool = ProcessPool(jobs, initializer=_worker_init, initargs=(os.getpid(), known, WORKER_MEMORY),
                                context=multiprocessing.get_context("spawn"))

    def submit(self, part, ids=None):
        self.live = [f for f in self.live if not f.done()]
        f = self.pool.schedule(self.work, args=(part, None, self.folder, ids))
        self.live.append(f)
        return f

    def result(self, fut) -> str:
        """The path of the shard the task wrote."""
        from concurrent.futures.process import BrokenProcessPool
        from pebble.common import ProcessExpired
        try:
            return fut.result()
        except BrokenProcessPool as e:     # every worker died before it could take a task
            raise OSError(f"the extraction workers could not start ({e}); try --jobs 1") from None
        except ProcessExpired as e:
            code = e.exitcode
            raise WorkerDied(f"signal {-code}" if isinstance(code, int) and code < 0 else
                             f"exit code {code}" if code else "no exit code") from None

    def settle(self):
        """Wait until nothing runs (a failure is dealt with when its turn comes)."""
        for f in self.live:
            f.exception()

    def close(self):
        import shutil
        self.pool.stop()
        self.pool.join()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


# letters the workers may extract ahead of the merge: more than one store batch (500), so that
# they go on while this process writes or resolves a batch (at 128 ahead they sat idle through
# most of each batch: 120 letters/s on 2 cores where they can give more). The results wait as
# shard files on disk (or small blobs on a cluster), so memory stays flat.
AHEAD = 1024


def _run(todo, backend, chunk: int, ids: dict | None = None, raw_folder=None):
    """(path, kind, payload) in input order from a backend that extracts chunks into shards,
    up to AHEAD letters in flight. A chunk whose worker died is tried again one letter at a
    time; a letter that kills its worker again, alone on the cluster, is reported. With
    `raw_folder`, the shards' paths there instead, in order, none of them read."""
    from collections import deque
    from kg import shards

    pending: deque = deque()

    def as_entries(ref) -> list:    # a shard file's path, a shard's bytes, or entries already
        return shards.read(ref, remove=True) if isinstance(ref, str) else shards.loads(ref) if isinstance(ref, bytes) else ref

    def submit(part):
        return backend.submit(part, [ids[p] for p in part] if ids else None)

    def entries(part, fut, alone=False):
        try:
            return backend.result(fut)
        except WorkerDied as e:
            if len(part) > 1:
                retry = [(p, submit([p])) for p in part]
                return [x for p, f in retry for x in as_entries(entries([p], f))]
            if alone:
                return [("err", str(part[0]), f"{part[0]}: the worker extracting it died ({e}: killed, or out of memory)")]
            # on a cluster, a worker's death also fails the tasks queued beside it: the letter is
            # the cause only if it kills a worker when nothing else is running
            backend.settle()
            return entries(part, submit(part), alone=True)

    def out(part, fut):
        ref = entries(part, fut)
        if raw_folder is not None:
            yield ref if isinstance(ref, str) else shards.write(ref if isinstance(ref, bytes) else shards.dumps(ref), raw_folder)
            return
        for (kind, _, x), p in zip(as_entries(ref), part):
            yield p, kind, (shards.decode_graph(x) if kind == "ok" else x)

    # the merge builds ~1,000 objects a letter and keeps a batch of letters: at the default
    # thresholds the collector scans that batch over and over (3.6 ms a letter, against 1.5 ms)
    import gc
    saved = gc.get_threshold()
    gc.set_threshold(max(saved[0], 50_000), max(saved[1], 20), saved[2])
    try:
        for i in range(0, len(todo), chunk):
            part = todo[i:i + chunk]
            pending.append((part, submit(part)))
            if len(pending) >= max(4 * backend.width, AHEAD // chunk):
                yield from out(*pending.popleft())
        while pending:
            yield from out(*pending.popleft())
    finally:
        gc.set_threshold(*saved)
        backend.close()


def _results(todo, jobs: int | None, known: frozenset = frozenset(), chunk: int = 16, work=None, dask=None,
             ids: dict | None = None):
    """(path, kind, payload) in input order: kind "ok" (a DocGraph), "same" (a doc id) or "err"
    (a line). With several jobs, each worker extracts a chunk into a shard and the merge (this
    process) reads shards in order, so memory stays flat however long the corpus is; a worker
    that dies costs only its own letters. `dask` (a scheduler address, or "local") runs the same
    chunks on a Dask cluster (kg.distributed). `work` replaces `extract_shard` as the workers'
    function (same arguments and result). `ids`: {path: the store's id} for known letters."""
    if dask:
        from kg.distributed import DaskBackend
        yield from _run(todo, DaskBackend(dask, jobs, known, work), chunk, ids)
        return
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(todo) >= AUTO_PARALLEL else 1
    if jobs <= 1:
        for p in todo:
            yield (p, *_one(p, known, ids.get(p) if ids else None))
        return
    yield from _run(todo, _Pool(jobs, known, work), chunk, ids)


def extract_to_shards(paths, folder, jobs: int | None = None, known=None, dask=None, chunk: int = 16) -> list[str]:
    """The shard-writing job alone: the letters (a list of files) extracted into shard files in
    `folder`, whose paths come back in input order; no graph is built in this process. Read them
    with `read_shards`. Failures are entries in the shards, as with kg load."""
    from pathlib import Path
    Path(folder).mkdir(parents=True, exist_ok=True)
    todo = [Path(p) for p in paths]
    known = known_pairs(known)
    if dask:
        from kg.distributed import DaskBackend
        backend = DaskBackend(dask, jobs, known)
    else:
        backend = _Pool(max(jobs or os.cpu_count() or 1, 1), known, folder=folder)
    return list(_run(todo, backend, chunk, raw_folder=str(folder)))


def read_shards(shard_paths, remove: bool = False):
    """(path, kind, payload) of every entry of the shards, in order; kind "ok" gives a DocGraph."""
    from kg import shards
    for sp in shard_paths:
        for kind, p, x in shards.read(sp, remove=remove):
            yield p, kind, (shards.decode_graph(x) if kind == "ok" else x)


def stream_graphs(paths, failed: list, err=None, progress: bool = True, jobs: int | None = 1,
                  known=None, unchanged: list | None = None, skipped: list | None = None, dask=None,
                  doc_ids=None):
    """Extract every document, yielding graphs as they are ready. Whatever is named or found and
    not loaded gets one line naming it and why (its path is appended to `failed`), except files of
    other kinds in folders, appended to `skipped` as (path, reason). With `known` (see
    `known_pairs`), letters the store already has are not extracted: their ids go to `unchanged`.
    `doc_ids(path)` gives the id the store will file a letter under, when it is not the loader's
    (kg.store.identity); called once per path, in order. With `dask` (a scheduler address, or
    "local"), extraction runs on a Dask cluster."""
    err = err or sys.stderr
    found = loaders.find(paths)
    for p, why in found.failed:
        print(f"kg: {p}: {why}", file=err)
        failed.append(p)
    if skipped is not None:
        skipped.extend(found.skipped)
    known = known_pairs(known)
    todo = found.files
    bar = Progress(len(todo) if progress else 0, err)
    try:
        ids = {p: doc_ids(p) for p in todo} if known and doc_ids else None
        for p, kind, x in _results(todo, jobs, known, dask=dask, ids=ids):
            if kind == "err":
                if bar.on:
                    err.write("\n")
                print(f"kg: {x}", file=err)
                failed.append(p)
            elif kind == "same":
                if unchanged is not None:
                    unchanged.append(x)
            else:
                yield x
            bar.step()
    finally:
        bar.close()


def extract_paths(paths, err=None, progress: bool = True, jobs: int | None = 1):
    """Every document's graph, as a list (for commands that need them all at once)."""
    failed: list = []
    graphs = list(stream_graphs(paths, failed, err, progress, jobs))
    return graphs, failed


def batched(items, size: int):
    batch = []
    for x in items:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_output(graphs, out) -> int:
    """`kg extract`'s JSON: the documents' nodes and relationships as `DocGraph.as_dict` gives them,
    except that each evidence sentence is written once, in a top-level `sentences` list, and an
    evidence item's `sentence` is its index there, so the output grows with the input, not with
    the square of a sentence's mentions. Returns how many documents were written."""
    import json
    from kg.shards import Sentences
    table = Sentences()
    nodes: list = []
    rels: list = []

    def ev(items):
        return [{"doc_id": e.doc_id, "start": e.start, "end": e.end, "sentence": table.index(e.sentence)} for e in items]

    n = 0
    for g in graphs:
        n += 1
        for node in g.nodes.values():
            d = node.as_dict()
            d["evidence"] = ev(node.evidence)
            nodes.append(d)
        for r in g.relationships.values():
            d = r.as_dict()
            d["evidence"] = ev(r.evidence)
            rels.append(d)
    json.dump({"nodes": nodes, "relationships": rels, "sentences": table.items}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return n
