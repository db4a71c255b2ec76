"""RDF export: ontology and SHACL shapes derived from the schema; the export conforms."""
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, RDF

from conftest import FIXTURES, SEED
from kg import ontology
from kg.export import export
from kg.pipeline import extract_paths
from kg.schema import load_schema, schema_dir
from kg.store import EmbeddedStore

KG = Namespace(load_schema().namespace + "ontology#")


def test_committed_ontology_and_shapes_are_what_the_schema_gives():
    for name, build in (("ontology.ttl", ontology.ontology), ("shapes.ttl", ontology.shapes)):
        committed = Graph().parse(schema_dir() / name)
        from rdflib.compare import isomorphic
        assert isomorphic(committed, build()), f"schema/{name} is stale: run python -m kg.ontology"


def test_ontology_has_every_label_and_type_in_two_languages():
    g = Graph().parse(schema_dir() / "ontology.ttl")
    for label in load_schema().labels:
        langs = {l.language for l in g.objects(KG[label], Namespace("http://www.w3.org/2000/01/rdf-schema#").label)}
        assert {"en", "zh"} <= langs, label
    for rtype in load_schema().relationships:
        assert (KG[rtype], RDF.type, Namespace("http://www.w3.org/2002/07/owl#").ObjectProperty) in g


def test_exports_validate_against_the_shapes(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load(extract_paths([SEED, FIXTURES], progress=False)[0])
    shapes = Graph().parse(schema_dir() / "shapes.ttl")
    for fmt, rdf_fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        out = tmp_path / f"g.{fmt}"
        export(store.g, fmt, out)
        data = Graph().parse(out, format=rdf_fmt)
        conforms, _, text = validate(data, shacl_graph=shapes, inference="none")
        assert conforms, text[:2000]
        # provenance: every relationship has a statement node with its document and sentence
        stmts = list(data.subjects(RDF.type, RDF.Statement))
        assert len(stmts) == store.g.number_of_edges()
        assert all(data.value(s, KG.sentence) is not None and data.value(s, KG.document) is not None for s in stmts)


def test_shapes_catch_a_graph_that_breaks_the_schema(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load(extract_paths([SEED], progress=False)[0])
    out = tmp_path / "g.ttl"
    export(store.g, "ttl", out)
    data = Graph().parse(out)
    policy = next(data.subjects(RDF.type, KG.Policy))
    person = next(data.subjects(RDF.type, KG.Person))
    data.add((policy, KG.MEMBER_OF, person))          # a policy cannot be a member of anything
    data.add((person, KG.name, Literal("第二个名字")))   # and a node has one name
    conforms, _, text = validate(data, shacl_graph=Graph().parse(schema_dir() / "shapes.ttl"), inference="none")
    assert not conforms
    assert "MEMBER_OF" in text and "name" in text
