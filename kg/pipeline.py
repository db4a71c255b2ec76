"""load → extract, for many paths, with one clear line per failed document."""
from __future__ import annotations

import sys

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


def extract_paths(paths, err=sys.stderr, progress: bool = True):
    """Extract every document; a document that fails gets one line naming it and why."""
    graphs, failed = [], []
    todo = loaders.iter_paths(paths)
    bar = Progress(len(todo) if progress else 0, err)
    for p in todo:
        try:
            graphs.append(extract_one(p))
        except loaders.LoadError as e:
            if bar.on:
                err.write("\n")
            print(f"kg: {e}", file=err)
            failed.append(p)
        except Exception as e:  # an extractor bug must not stop the batch; say which file
            print(f"kg: {p}: extraction failed ({type(e).__name__}: {e})", file=err)
            failed.append(p)
        bar.step()
    bar.close()
    return graphs, failed
