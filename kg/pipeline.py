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


def extract_paths(paths, err=sys.stderr):
    graphs, failed = [], []
    for p in loaders.iter_paths(paths):
        try:
            graphs.append(extract_one(p))
        except loaders.LoadError as e:
            print(f"kg: {e}", file=err)
            failed.append(p)
    return graphs, failed
