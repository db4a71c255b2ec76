"""Export the store: JSON (the extract shape), GraphML (Gephi), Turtle, JSON-LD, N-Triples."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # networkx costs ~100 ms to import: `kg --help` and the parser need only FORMATS
    import networkx as nx

FORMATS = ("json", "graphml", "ttl", "jsonld", "nt")


def to_json(g: nx.MultiDiGraph) -> dict:
    nodes = [{"id": nid, "label": d["label"], "name": d["name"], "aliases": d["aliases"],
              "properties": {**d["properties"], **({"kind": d["kind"]} if d["kind"] else {})},
              "docs": d["docs"], "evidence": d["evidence"]} for nid, d in g.nodes(data=True)]
    rels = [{"type": k, "source": u, "target": v, "properties": d["properties"], "docs": d["docs"],
             "evidence": d["evidence"]} for u, v, k, d in g.edges(keys=True, data=True)]
    return {"nodes": nodes, "relationships": rels}


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML holds scalars only: lists become '|'-joined text, evidence its sentences."""
    import networkx as nx
    flat = nx.MultiDiGraph()
    for nid, d in g.nodes(data=True):
        flat.add_node(nid, label=d["label"], name=d["name"], kind=d["kind"] or "",
                      aliases="|".join(d["aliases"]), docs="|".join(d["docs"]),
                      **{f"p_{k}": (v if isinstance(v, (int, float)) else str(v)) for k, v in d["properties"].items()})
    for u, v, k, d in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, type=k, docs="|".join(d["docs"]),
                      evidence=" ‖ ".join(sorted({e["sentence"] for e in d["evidence"]})),
                      **{f"p_{pk}": str(pv) for pk, pv in d["properties"].items()})
    return flat


def export(g: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    if fmt == "json":
        out.write_text(json.dumps(to_json(g), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "graphml":
        import networkx as nx
        nx.write_graphml(to_graphml_graph(g), out, encoding="utf-8")
    elif fmt in ("ttl", "jsonld", "nt"):
        from kg.rdf import to_rdf
        rdf_format = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt]
        to_rdf(g).serialize(destination=str(out), format=rdf_format, encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
