"""Interactive HTML view of the graph (pyvis + vis-network), one self-contained file.

The page makes no network request: vis-network is inlined from the pyvis package,
and nothing is linked from a CDN (pyvis's own template links Bootstrap even when
inlining, so the page is written from our template). All document text travels as
JSON inside a non-executed script element, with <, > and & escaped, and is put on
the page with textContent only."""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.schema import load_schema

TEMPLATE = Path(__file__).with_name("viz_template.html")
MAX_EVIDENCE = 3


def _vis_js() -> str:
    lib = files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


def safe_json(obj) -> str:
    """JSON that cannot close the <script> element it sits in."""
    return (json.dumps(obj, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def build_network(g: nx.MultiDiGraph) -> Network:
    schema = load_schema()
    net = Network(directed=True)
    for nid, d in g.nodes(data=True):
        # colour set explicitly and no `group`: pyvis/vis drop the colour when both are set
        net.add_node(nid, label=d["name"] if len(d["name"]) <= 18 else d["name"][:17] + "…",
                     color=schema.colour(d["label"]), shape="dot", size=10 + 3 * min(len(d["docs"]), 5))
    for u, v, k, d in g.edges(keys=True, data=True):
        net.add_edge(u, v, color=schema.colour(k), arrows="to" if not schema.is_symmetric(k) else "",
                     label=k, width=1 + min(len(d["docs"]), 4))
    return net


def render(g: nx.MultiDiGraph, title: str = "kg", note: str = "") -> str:
    schema = load_schema()
    net = build_network(g)
    nodes, edges, *_ = net.get_network_data()
    info_nodes = {nid: {"name": d["name"], "label": d["label"], "kind": d.get("kind", ""),
                        "aliases": d.get("aliases", []), "docs": len(d.get("docs", []))}
                  for nid, d in g.nodes(data=True)}
    for n in nodes:
        n["kgLabel"] = info_nodes[n["id"]]["label"]
    for e, (u, v, k, d) in zip(edges, g.edges(keys=True, data=True)):
        e["kgType"] = k
        e["kgEvidence"] = [{"doc": ev["doc_id"], "sentence": ev["sentence"]} for ev in d["evidence"][:MAX_EVIDENCE]]
    legend = {"labels": {k: {"colour": v["colour"], "zh": v["zh"]} for k, v in schema.labels.items()},
              "types": {k: {"colour": v["colour"], "zh": v["zh"]} for k, v in schema.relationships.items()}}
    payload = {"nodes": nodes, "edges": edges, "info": info_nodes, "legend": legend, "title": title, "note": note}
    html = TEMPLATE.read_text(encoding="utf-8")
    return (html.replace("/*VIS_JS*/", _vis_js().replace("</script", "<\\/script"))
                .replace("/*KG_DATA*/", safe_json(payload))
                .replace("<!--TITLE-->", title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))


def write_html(g: nx.MultiDiGraph, out: Path, title: str = "kg", note: str = "") -> None:
    Path(out).write_text(render(g, title, note), encoding="utf-8")
