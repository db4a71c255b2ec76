"""Interactive HTML view of the graph (sigma.js), one self-contained file.

The page makes no network request: its script is inlined from kg/vendor/. All
document text travels as JSON inside a non-executed script element, with <, > and &
escaped, and is put on the page with textContent only.

What an analyst sees first: the view's name and scope in a header, the most
important nodes (most documents and links) labelled at the fitted zoom, colours from
schema/schema.toml, and no unconnected dots (isolated nodes are listed in the side
panel instead). Pointing shows a tooltip; clicking pins the details in a panel: the
canonical name, aliases, evidence sentences and the documents with title and date.

The renderer is sigma.js (WebGL) with graphology's ForceAtlas2 layout, vendored in
kg/vendor/ and inlined: on a 5,000-node view it is interactive in a few seconds where
vis-network took over half a minute (README, "The HTML page")."""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import networkx as nx

from kg.resolve import find_nodes
from kg.schema import load_schema

TEMPLATE = files("kg") / "viz_template.html"
MAX_EVIDENCE = 3        # evidence sentences per node or relationship carried by the page
MAX_DOCS = 50           # documents listed per node or relationship (the count is always whole)


def _sigma_js() -> str:
    return (files("kg") / "vendor" / "sigma-bundle.min.js").read_text(encoding="utf-8")


def safe_json(obj) -> str:
    """JSON that cannot close the <script> element it sits in."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _ev(e) -> tuple[str, str]:
    """(document id, sentence) of an evidence record, a dict or a named tuple."""
    if isinstance(e, dict):
        return e["doc_id"], e["sentence"]
    return e.doc_id, e.sentence


def document_index(g: nx.MultiDiGraph) -> dict[str, dict]:
    """Document id → title, date, document number and replying body, from the Document nodes."""
    out: dict[str, dict] = {}
    for v, d in g.nodes(data=True):
        if d.get("label") != "Document":
            continue
        p = d.get("properties", {})
        repliers = [g.nodes[u]["name"] for u, _, k in g.in_edges(v, keys=True) if k == "ISSUED"]
        out[d.get("key") or v] = {"title": d.get("name", ""), "date": p.get("date", ""),
                                  "number": p.get("doc_number", ""), "replier": "、".join(sorted(repliers))}
    return out


def importance(g: nx.MultiDiGraph) -> dict[str, float]:
    """How prominent a node is: its documents and its links (what labels go to first)."""
    return {v: len(d.get("docs", [])) * 2 + g.degree(v) for v, d in g.nodes(data=True)}


class _Table:
    """Values stored once on the page and referred to by position: many facts quote the
    same sentence and cite the same documents."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def ref(self, s: str) -> int:
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i


def _props(p: dict, skip=("content_hash", "next_steps")) -> dict:
    return {k: x for k, x in p.items() if isinstance(x, (str, int, float)) and k not in skip}


def render(g: nx.MultiDiGraph, title: str = "kg", note: str = "", documents: dict | None = None,
           scope: str = "") -> str:
    """The page. `documents` (document_index of the whole store) gives titles and dates of
    documents the view itself does not contain.

    The data is compact (a 5,000-node view with 60,000 relationships is most of the page):
    nodes by position in `ids`, documents by position in `docs`, sentences by position
    in `sentences`, labels and types by position in their lists."""
    schema = load_schema()
    docs_ix = dict(document_index(g))
    docs_ix.update(documents or {})
    drawn = [v for v in g if g.degree(v) > 0]
    isolated = sorted((v for v in g if g.degree(v) == 0), key=lambda v: g.nodes[v]["name"])
    ids = drawn + isolated
    pos = {v: i for i, v in enumerate(ids)}
    rank = importance(g)
    sent, docs, labels, types = _Table(), _Table(), _Table(), _Table()

    def support(d: dict) -> dict:
        all_docs = d.get("docs", [])
        ev = list(dict.fromkeys(map(_ev, d.get("evidence", []))))[:MAX_EVIDENCE]   # one sentence said twice is shown once
        return {"d": [docs.ref(x) for x in all_docs[:MAX_DOCS]], "c": len(all_docs),
                "e": [[docs.ref(doc), sent.ref(s)] for doc, s in ev],
                "p": _props(d.get("properties", {}))}

    info = []
    for v in ids:
        d = g.nodes[v]
        info.append({"n": d["name"], "l": d["label"], "k": d.get("kind") or "", "a": list(d.get("aliases", [])),
                     **support(d)})
    nodes = []
    for v in drawn:
        d = g.nodes[v]
        name = d["name"]
        nodes.append([name if len(name) <= 18 else name[:17] + "…", labels.ref(d["label"]), rank[v]])
    edges, edge_info = [], []
    for u, v, k, d in g.edges(keys=True, data=True):
        n_docs = d.get("weight") if k == "CO_ISSUED" else len(d.get("docs", []))
        edges.append([pos[u], pos[v], types.ref(k), 1 + min(n_docs or 1, 4)])
        edge_info.append(support(d))
    colour = schema.colour
    legend = {"labels": {k: {"colour": v["colour"], "zh": v["zh"]} for k, v in schema.labels.items()},
              "types": {k: {"colour": v["colour"], "zh": v["zh"]}
                        for k, v in (*schema.relationships.items(), *schema.derived.items())}}
    n_docs = len({x for _, d in g.nodes(data=True) for x in d.get("docs", [])})
    scope = scope or (f"{len(drawn)} nodes, {g.number_of_edges()} relationships, from {n_docs} document(s)"
                      + (f"; {len(isolated)} unconnected node(s) listed at the left, not drawn" if isolated else ""))
    payload = {"title": title, "scope": scope, "note": note,
               "ids": ids, "nDrawn": len(drawn), "nodes": nodes, "edges": edges, "info": info, "edgeInfo": edge_info,
               "labels": [[x, schema.colour(x)] for x in labels.items],
               "types": [[t, colour(t), schema.is_symmetric(t)] for t in types.items],
               "sentences": sent.items,
               "docs": [[x, *(lambda m: [m.get("title", ""), m.get("date", ""), m.get("number", ""), m.get("replier", "")])(docs_ix.get(x, {}))]
                        for x in docs.items],
               "legend": legend}
    html = TEMPLATE.read_text(encoding="utf-8")
    esc = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (html.replace("/*SIGMA_JS*/", _sigma_js().replace("</script", "<\\/script"))
                .replace("/*KG_DATA*/", safe_json(payload))
                .replace("<!--TITLE-->", esc))


def write_html(g: nx.MultiDiGraph, out: Path, title: str = "kg", note: str = "",
               documents: dict | None = None) -> None:
    """Write the page atomically-enough for a single file: whole text, one write."""
    Path(out).write_text(render(g, title, note, documents), encoding="utf-8")


# -- views --------------------------------------------------------------------------

class ViewError(ValueError):
    pass


def focus_view(g: nx.MultiDiGraph, name: str, depth: int = 1) -> tuple[nx.MultiDiGraph, str]:
    """The ego network of an entity, `depth` steps out, in either direction."""
    ids = find_nodes(g, name)
    if not ids:
        raise ViewError(f"no entity named {name!r} in the store (`kg find {name}` searches by part of a name)")
    und = g.to_undirected(as_view=True)
    keep: set[str] = set()
    for nid in ids:
        keep |= set(nx.single_source_shortest_path_length(und, nid, cutoff=depth))
    names = "、".join(sorted(g.nodes[i]["name"] for i in ids))
    return g.subgraph(keep).copy(), f"{names}: {depth} step(s) out"


def document_view(g: nx.MultiDiGraph, doc_id: str) -> tuple[nx.MultiDiGraph, str]:
    """One document's graph: the nodes and relationships it supports."""
    nodes = [v for v, d in g.nodes(data=True) if doc_id in d.get("docs", [])]
    if not nodes:
        raise ViewError(f"no document {doc_id!r} in the store (`kg documents` lists them)")
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((v, g.nodes[v]) for v in nodes)
    sub.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if doc_id in d.get("docs", []))
    title = document_index(g).get(doc_id, {}).get("title", "")
    return sub, f"document {doc_id}" + (f" {title}" if title else "")


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
    """Keep the best-connected nodes of a large graph, and say what was left out. Nodes
    whose every link was cut by the limit go too: they would be unconnected dots."""
    n = g.number_of_nodes()
    if n <= max_nodes:
        return g, ""
    keep = sorted(g.nodes, key=lambda v: (-g.degree(v), v))[:max_nodes]
    sub = g.subgraph(keep).copy()
    cut = [v for v in sub if sub.degree(v) == 0 and g.degree(v) > 0]
    sub.remove_nodes_from(cut)
    return sub, (f"showing {sub.number_of_nodes()} of {n} nodes (the best connected) and {sub.number_of_edges()} of "
                 f"{g.number_of_edges()} relationships; narrow with --focus NAME or --document DOC_ID")
