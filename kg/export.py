"""Export the store: JSON (the extract shape), GraphML (Gephi), CSV (spreadsheets and
Neo4j's offline importer), Turtle, JSON-LD, N-Triples."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # networkx costs ~100 ms to import: `kg --help` and the parser need only FORMATS
    import networkx as nx

FORMATS = ("json", "graphml", "csv", "ttl", "jsonld", "nt")
STDOUT = "-"


def to_json(g: nx.MultiDiGraph) -> dict:
    nodes = [{"id": nid, "label": d["label"], "name": d["name"], "aliases": d["aliases"],
              "properties": {**d["properties"], **({"kind": d["kind"]} if d["kind"] else {})},
              "docs": d["docs"], "evidence": d["evidence"]} for nid, d in g.nodes(data=True)]
    rels = [{"type": k, "source": u, "target": v, "properties": d["properties"], "docs": d["docs"],
             "evidence": d["evidence"]} for u, v, k, d in g.edges(keys=True, data=True)]
    return {"nodes": nodes, "relationships": rels}


def _scalar(v):
    """GraphML holds scalars: numbers and booleans keep their type, lists become JSON text."""
    if isinstance(v, bool | int | float | str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _sentences(evidence) -> list[str]:
    return list(dict.fromkeys(e["sentence"] if isinstance(e, dict) else e.sentence for e in evidence))


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph as Gephi wants it: `label` is the name (what Gephi draws), `type` the
    node label or relationship type, every edge a unique id, `weight` the number of
    documents that support a relationship; numbers typed; lists as JSON text."""
    import networkx as nx
    flat = nx.MultiDiGraph()
    for nid, d in g.nodes(data=True):
        docs = d.get("docs", [])
        flat.add_node(nid, label=d["name"], type=d["label"], key=d.get("key", ""), kind=d.get("kind") or "",
                      aliases=_scalar(list(d.get("aliases", []))), documents=len(docs), docs=_scalar(list(docs)),
                      **{f"p_{k}": _scalar(v) for k, v in d.get("properties", {}).items() if k != "content_hash"})
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        docs = d.get("docs", [])
        flat.add_edge(u, v, key=f"e{i}", label=k, type=k, weight=float(d.get("weight", len(docs))),
                      docs=_scalar(list(docs)), evidence=_scalar(_sentences(d.get("evidence", []))),
                      **{f"p_{pk}": _scalar(pv) for pk, pv in d.get("properties", {}).items()})
    return flat


def export(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> None:
    """Write `g` as `fmt` to the file `out`, standard output for "-", or (csv) the folder `out`."""
    to_stdout = str(out) == STDOUT
    if fmt == "csv":
        if to_stdout:
            raise ValueError("--format csv writes two files (nodes.csv, relationships.csv): give -o FOLDER, not -")
        from kg.csv_export import write_csv
        write_csv(g, Path(out))
        return
    if fmt == "json":
        text = json.dumps(to_json(g), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "graphml":
        import networkx as nx
        text = "\n".join(nx.generate_graphml(to_graphml_graph(g), encoding="utf-8")) + "\n"
    elif fmt in ("ttl", "jsonld", "nt"):
        from kg.rdf import jsonld_context, to_rdf
        if fmt == "jsonld":
            text = to_rdf(g).serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        else:
            text = to_rdf(g).serialize(format={"ttl": "turtle", "nt": "nt"}[fmt])
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write_atomic(Path(out), text)


def _write_atomic(path: Path, text: str) -> None:
    import os
    import tempfile
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    import os
    m = os.umask(0)
    os.umask(m)
    return m
