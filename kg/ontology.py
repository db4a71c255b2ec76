"""The RDF ontology (OWL/RDFS) and SHACL shapes, derived from schema/schema.toml.

`python -m kg.ontology` writes schema/ontology.ttl and schema/shapes.ttl; a test
checks that the committed files are what the schema gives."""
from __future__ import annotations

import sys

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace
from rdflib.collection import Collection

from kg.rdf import namespaces
from kg.schema import load_schema, schema_dir

SH = Namespace("http://www.w3.org/ns/shacl#")


def ontology() -> Graph:
    schema = load_schema()
    KG, _ = namespaces()
    g = Graph()
    g.bind("kg", KG)
    g.bind("owl", OWL)
    onto = KG[""]
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal("kg: Chinese government agencies, programmes, institutions and policies", lang="en")))
    g.add((onto, OWL.versionInfo, Literal(str(schema.version))))
    for label, spec in schema.labels.items():
        c = KG[label]
        g.add((c, RDF.type, OWL.Class))
        g.add((c, RDFS.label, Literal(spec["en"], lang="en")))
        g.add((c, RDFS.label, Literal(spec["zh"], lang="zh")))
        g.add((c, RDFS.comment, Literal(spec["description"], lang="en")))
    for prop in ["key", "name", "alias", "kind", "supportedBy", "document", "sentence"] + sorted(
            {p for spec in schema.labels.values() for p in spec["properties"]}
            | {p for spec in (*schema.relationships.values(), *schema.derived.values()) for p in spec["properties"]}):
        g.add((KG[prop], RDF.type, OWL.DatatypeProperty))
        g.add((KG[prop], RDFS.label, Literal(prop, lang="en")))
    for rtype, spec in (*schema.relationships.items(), *schema.derived.items()):
        p = KG[rtype]
        g.add((p, RDF.type, OWL.ObjectProperty))
        if "via" in spec:
            # derived: a issued a policy that b issued (ISSUED, then ISSUED backwards)
            g.add((p, RDFS.comment, Literal(spec["description"], lang="en")))
            inverse = BNode()
            g.add((inverse, OWL.inverseOf, KG[spec["via"]]))
            chain = BNode()
            Collection(g, chain, [KG[spec["via"]], inverse])
            g.add((p, OWL.propertyChainAxiom, chain))
        if spec.get("symmetric"):
            g.add((p, RDF.type, OWL.SymmetricProperty))
        g.add((p, RDFS.label, Literal(rtype, lang="en")))
        g.add((p, RDFS.label, Literal(spec["zh"], lang="zh")))
        for end, axis in (("from", RDFS.domain), ("to", RDFS.range)):
            union = BNode()
            members = BNode()
            Collection(g, members, [KG[x] for x in spec[end]])
            g.add((union, RDF.type, OWL.Class))
            g.add((union, OWL.unionOf, members))
            g.add((p, axis, union))
    return g


def shapes() -> Graph:
    """Every entity has one name and one key; relationships go between the labels the schema allows."""
    schema = load_schema()
    KG, _ = namespaces()
    g = Graph()
    g.bind("sh", SH)
    g.bind("kg", KG)
    for label, spec in schema.labels.items():
        shape = KG[f"{label}Shape"]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, KG[label]))
        for prop, count in (("name", 1), ("key", 1)):
            ps = BNode()
            g.add((shape, SH.property, ps))
            g.add((ps, SH.path, KG[prop]))
            g.add((ps, SH.minCount, Literal(count)))
            g.add((ps, SH.maxCount, Literal(count)))
            g.add((ps, SH.datatype, XSD.string))
        for prop, typ in spec["properties"].items():
            if typ == "float":
                ps = BNode()
                g.add((shape, SH.property, ps))
                g.add((ps, SH.path, KG[prop]))
                g.add((ps, SH.datatype, XSD.double))
        for rtype, rspec in (*schema.relationships.items(), *schema.derived.items()):
            if label not in rspec["from"]:
                continue
            ps = BNode()
            g.add((shape, SH.property, ps))
            g.add((ps, SH.path, KG[rtype]))
            alternatives = []
            for target in rspec["to"]:
                alt = BNode()
                g.add((alt, SH["class"], KG[target]))
                alternatives.append(alt)
            lst = BNode()
            Collection(g, lst, alternatives)
            g.add((ps, SH["or"], lst))
        # a relationship the schema does not allow from this label is an error
        every = {**schema.relationships, **schema.derived}
        allowed = {r for r, rs in every.items() if label in rs["from"]}
        for rtype in every:
            if rtype in allowed:
                continue
            ps = BNode()
            g.add((shape, SH.property, ps))
            g.add((ps, SH.path, KG[rtype]))
            g.add((ps, SH.maxCount, Literal(0)))
    return g


def write() -> None:
    d = schema_dir()
    ontology().serialize(destination=str(d / "ontology.ttl"), format="turtle")
    shapes().serialize(destination=str(d / "shapes.ttl"), format="turtle")


if __name__ == "__main__":
    write()
    sys.exit(0)
