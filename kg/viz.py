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

from kg.resolve import find_nodes
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
        if k == "CO_ISSUED":
            net.add_edge(u, v, color=schema.colour("ISSUED"), arrows="", label=k, width=1 + 2 * d["weight"])
            continue
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
    legend["types"]["CO_ISSUED"] = {"colour": schema.colour("ISSUED"), "zh": "联合发布"}
    payload = {"nodes": nodes, "edges": edges, "info": info_nodes, "legend": legend, "title": title, "note": note}
    html = TEMPLATE.read_text(encoding="utf-8")
    return (html.replace("/*VIS_JS*/", _vis_js().replace("</script", "<\\/script"))
                .replace("/*KG_DATA*/", safe_json(payload))
                .replace("<!--TITLE-->", title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))


def write_html(g: nx.MultiDiGraph, out: Path, title: str = "kg", note: str = "") -> None:
    Path(out).write_text(render(g, title, note), encoding="utf-8")


# -- views --------------------------------------------------------------------------

class ViewError(ValueError):
    pass


def focus_view(g: nx.MultiDiGraph, name: str, depth: int = 1) -> tuple[nx.MultiDiGraph, str]:
    """The ego network of an entity, `depth` steps out, in either direction."""
    ids = find_nodes(g, name)
    if not ids:
        raise ViewError(f"no entity named {name!r} in the store")
    und = g.to_undirected(as_view=True)
    keep: set[str] = set()
    for nid in ids:
        keep |= set(nx.single_source_shortest_path_length(und, nid, cutoff=depth))
    return g.subgraph(keep).copy(), f"{name}: {depth} step(s) out"


def document_view(g: nx.MultiDiGraph, doc_id: str) -> tuple[nx.MultiDiGraph, str]:
    """One document's graph: the nodes and relationships it supports."""
    nodes = [v for v, d in g.nodes(data=True) if doc_id in d.get("docs", [])]
    if not nodes:
        raise ViewError(f"no document {doc_id!r} in the store")
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((v, g.nodes[v]) for v in nodes)
    sub.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if doc_id in d.get("docs", []))
    return sub, f"document {doc_id}"


def co_issuance_view(g: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, str]:
    """Bodies linked by the policies they issued together; edge width = number of policies."""
    issuers: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == "ISSUED" and g.nodes[v]["label"] == "Policy":
            issuers.setdefault(v, set()).add(u)
    pairs: dict[tuple[str, str], list[str]] = {}
    for pol, who in issuers.items():
        who = sorted(who)
        for i, a in enumerate(who):
            for b in who[i + 1:]:
                pairs.setdefault((a, b), []).append(pol)
    view = nx.MultiDiGraph()
    for (a, b), pols in pairs.items():
        for x in (a, b):
            view.add_node(x, **g.nodes[x])
        names = sorted(g.nodes[p]["name"] for p in pols)
        view.add_edge(a, b, key="CO_ISSUED", weight=len(pols), docs=sorted({d for p in pols for d in g.nodes[p]["docs"]}),
                      evidence=[{"doc_id": f"{len(pols)} 项政策", "sentence": "《" + n + "》"} for n in names],
                      properties={"policies": len(pols)})
    return view, "co-issuance: bodies linked by the policies they issued together (width = number of policies)"


def limit(g: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str]:
    """Keep the best-connected nodes of a large graph, and say what was left out."""
    n = g.number_of_nodes()
    if n <= max_nodes:
        return g, ""
    keep = sorted(g.nodes, key=lambda v: (-g.degree(v), v))[:max_nodes]
    sub = g.subgraph(keep).copy()
    return sub, (f"showing {max_nodes} of {n} nodes (the best connected) and {sub.number_of_edges()} of "
                 f"{g.number_of_edges()} relationships; narrow with --focus NAME or --document DOC_ID")
