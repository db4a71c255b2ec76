"""RDF view of the graph (rdflib): stable IRIs, classes and properties named from the
schema, and provenance on every relationship as a reified statement."""
from __future__ import annotations

import re
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from kg.schema import load_schema


def namespaces():
    base = load_schema().namespace
    return Namespace(base + "ontology#"), Namespace(base + "id/")


def entity_iri(label: str, key: str) -> URIRef:
    _, ID = namespaces()
    return ID[f"{label}/{quote(key, safe='')}"]


DATE_KEYS = {"date", "submitted"}
_DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
               (re.compile(r"^\d{4}$"), XSD.gYear))


def jsonld_context() -> dict:
    """The JSON-LD @context: the ontology's prefixes, so the document reads as kg:name, not as IRIs."""
    KG, ID = namespaces()
    return {"kg": str(KG), "kgid": str(ID), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


def _literal(v, key: str = "") -> Literal:
    if key in DATE_KEYS and isinstance(v, str):
        for pattern, dtype in _DATE_TYPES:
            if pattern.match(v):
                return Literal(v, datatype=dtype)     # 2022-07-06 is an xsd:date; 2023-05 only a month
    if isinstance(v, bool):
        return Literal(v)
    if isinstance(v, (int, float)):
        return Literal(float(v), datatype=XSD.double)   # figures are one type, whatever their size
    return Literal(str(v))


def to_rdf(g: nx.MultiDiGraph) -> Graph:
    KG, ID = namespaces()
    out = Graph()
    out.bind("kg", KG)
    out.bind("kgid", ID)
    iri = {nid: entity_iri(d["label"], d["key"]) for nid, d in g.nodes(data=True)}
    for nid, d in g.nodes(data=True):
        s = iri[nid]
        out.add((s, RDF.type, KG[d["label"]]))
        out.add((s, RDFS.label, Literal(d["name"], lang="zh")))
        out.add((s, KG.name, Literal(d["name"])))
        out.add((s, KG.key, Literal(d["key"])))
        for a in d.get("aliases", []):
            out.add((s, KG.alias, Literal(a)))
        if d.get("kind"):
            out.add((s, KG.kind, Literal(d["kind"])))
        for k, v in d.get("properties", {}).items():
            for item in (v if isinstance(v, list) else [v]):
                out.add((s, KG[k], _literal(item, k)))
        for doc in d.get("docs", []):
            out.add((s, KG.supportedBy, Literal(doc)))
    for i, (u, v, k, d) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])):
        out.add((iri[u], KG[k], iri[v]))
        stmt = ID[f"statement/{quote(k)}/{quote(g.nodes[u]['key'], safe='')}/{quote(g.nodes[v]['key'], safe='')}"]
        out.add((stmt, RDF.type, RDF.Statement))
        out.add((stmt, RDF.subject, iri[u]))
        out.add((stmt, RDF.predicate, KG[k]))
        out.add((stmt, RDF.object, iri[v]))
        for pk, pv in d.get("properties", {}).items():
            out.add((stmt, KG[pk], _literal(pv, pk)))
        for doc in d.get("docs", []):
            out.add((stmt, KG.supportedBy, Literal(doc)))
        for ev in d.get("evidence", []):
            out.add((stmt, KG.document, Literal(ev["doc_id"])))
            out.add((stmt, KG.sentence, Literal(ev["sentence"])))
    return out
