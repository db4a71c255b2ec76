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

    def __init__(self, total: int, stream=sys.stderr, label: str = "documents"):
        self.total, self.stream, self.label, self.done = total, stream, label, 0
        self.on = total > 1 and hasattr(stream, "isatty") and stream.isatty()

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.on:
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.label}")
            self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\n")


def _extract_or_error(path):
    """Worker side: a graph, or the one line that says why this document failed."""
    try:
        return extract_one(path), None
    except loaders.LoadError as e:
        return None, str(e)
    except Exception as e:  # an extractor bug must not stop the batch; say which file
        return None, f"{path}: extraction failed ({type(e).__name__}: {e})"


def _extract_chunk(paths):
    return [_extract_or_error(p) for p in paths]


def _worker_init(parent: int):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the loader's to handle: no worker tracebacks
    from kg.extract.names import gazetteer
    gazetteer()     # compile the naming data once per worker, not per document
    # a worker whose loader was killed outright (SIGKILL, OOM) must not linger
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


AUTO_PARALLEL = 200     # below this many documents, starting worker processes costs more than it saves


def _results(todo, jobs: int | None, chunk: int = 16):
    """(path, graph, error) in input order. With several jobs, at most a few chunks per
    worker are in flight, so memory stays flat however long the corpus is."""
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(todo) >= AUTO_PARALLEL else 1
    if jobs <= 1:
        for p in todo:
            yield (p, *_extract_or_error(p))
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    # spawn, not fork: the caller may already hold a database driver with threads
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(os.getpid(),)) as pool:
        pending: deque = deque()
        chunks = (todo[i:i + chunk] for i in range(0, len(todo), chunk))
        for part in chunks:
            pending.append((part, pool.submit(_extract_chunk, part)))
            if len(pending) >= 4 * jobs:
                part, fut = pending.popleft()
                yield from ((p, g, e) for p, (g, e) in zip(part, fut.result()))
        while pending:
            part, fut = pending.popleft()
            yield from ((p, g, e) for p, (g, e) in zip(part, fut.result()))


def stream_graphs(paths, failed: list, err=sys.stderr, progress: bool = True, jobs: int | None = 1):
    """Extract every document, yielding graphs as they are ready; a document that fails gets
    one line naming it and why, and its path is appended to `failed`."""
    todo = loaders.iter_paths(paths)
    bar = Progress(len(todo) if progress else 0, err)
    try:
        for p, g, error in _results(todo, jobs):
            if error is not None:
                if bar.on:
                    err.write("\n")
                print(f"kg: {error}", file=err)
                failed.append(p)
            else:
                yield g
            bar.step()
    finally:
        bar.close()


def extract_paths(paths, err=sys.stderr, progress: bool = True, jobs: int | None = 1):
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
