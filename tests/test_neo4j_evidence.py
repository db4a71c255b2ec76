"""Every property is evidence too, on a real Neo4j server: a property leaves with the letter
that stated it, letters that disagree keep a deterministic choice and the alternatives, and
the same letters give the graph the embedded store gives."""
import json
from collections import defaultdict

from test_store import _canonical, _policy_letter, _syn_graphs
from kg.records import DocGraph, Evidence, Node, Relationship
from kg.store import EmbeddedStore
from kg.store.neo4j_store import _tally_from_links
from kg.store.tally import as_counter


def _policy(store):
    with store.session(write=False) as s:
        return s.run("MATCH (p:Policy {name: '浙江省乙办法'}) RETURN p.date AS date, p.properties_json AS props, "
                     "p.alternatives_json AS alts").single()


def test_a_property_leaves_with_the_letter_that_stated_it(neo4j_store):
    neo4j_store.load([_policy_letter("a1", "2021-01-05"), _policy_letter("b2", "")])
    assert _policy(neo4j_store)["date"] == "2021-01-05"
    neo4j_store.load([_policy_letter("a1", "2022-03-04", extra="另行通知。")])
    p = _policy(neo4j_store)
    assert p["date"] == "2022-03-04" and json.loads(p["alts"]) == {}
    neo4j_store.remove("a1")
    p = _policy(neo4j_store)
    assert p["date"] is None and "date" not in json.loads(p["props"])


def test_letters_that_disagree_keep_a_choice_and_the_alternatives(neo4j_store):
    seen = []
    for order in (("a1", "b2"), ("b2", "a1")):
        neo4j_store.clear()
        dates = {"a1": "2021-01-05", "b2": "2020-07-01"}
        for d in order:
            neo4j_store.load([_policy_letter(d, dates[d])])
        p = _policy(neo4j_store)
        seen.append((p["date"], json.loads(p["alts"])))
    assert seen[0] == seen[1] == ("2020-07-01", {"date": ["2021-01-05"]})
    neo4j_store.remove("b2")
    assert _policy(neo4j_store)["date"] == "2021-01-05"


def _issued(doc, date):
    g = DocGraph(doc, "h" + doc + date)
    a, p = Node("Agency", "浙江省科学技术厅"), Node("Policy", "浙江省丙细则")
    d = Node("Document", "关于丙的答复", key=doc)      # every letter is a Document node too
    for n in (a, p, d):
        n.evidence = [Evidence(doc, 0, 2, "浙江省科学技术厅印发《浙江省丙细则》。")]
        g.nodes[n.id] = n
    r = Relationship("ISSUED", a.id, p.id, properties={"date": date} if date else {},
                     evidence=[Evidence(doc, 0, 2, "浙江省科学技术厅印发《浙江省丙细则》。")])
    g.relationships[r.id] = r
    return g


def test_a_relationship_property_leaves_with_its_letter(neo4j_store, tmp_path):
    emb = EmbeddedStore(tmp_path)
    for store in (neo4j_store, emb):
        store.load([_issued("x1", "2021-05-01"), _issued("x2", "")])
    with neo4j_store.session(write=False) as s:
        assert s.run("MATCH ()-[r:ISSUED]->(:Policy {name: '浙江省丙细则'}) RETURN r.date AS d").single()["d"] == "2021-05-01"
    edge = lambda: next(d for _, _, k, d in emb.g.edges(keys=True, data=True) if k == "ISSUED")
    assert edge()["properties"] == {"date": "2021-05-01"}
    for store in (neo4j_store, emb):
        store.load([_issued("x1", "")])        # x1 edited: it no longer gives a date
    with neo4j_store.session(write=False) as s:
        r = s.run("MATCH ()-[r:ISSUED]->(:Policy {name: '浙江省丙细则'}) RETURN r.date AS d, r.docs AS docs").single()
    assert r["d"] is None and sorted(r["docs"]) == ["x1", "x2"]
    assert edge()["properties"] == {}


def test_neo4j_and_the_embedded_store_build_the_same_graph(neo4j_store, tmp_path):
    graphs = _syn_graphs(60)
    emb = EmbeddedStore(tmp_path)
    emb.load(graphs)
    neo4j_store.load(graphs)
    shape = lambda g: sorted((d["label"], d["name"], tuple(d["aliases"]), json.dumps(d["properties"], sort_keys=True),
                              d["kind"] or "", tuple(sorted(d["docs"]))) for _, d in g.nodes(data=True))
    assert shape(neo4j_store.to_networkx()) == shape(emb.g)
    rels = lambda g: sorted((g.nodes[u]["name"], k, g.nodes[v]["name"], tuple(sorted(d["docs"])),
                             json.dumps(d["properties"], sort_keys=True)) for u, v, k, d in g.edges(keys=True, data=True))
    assert rels(neo4j_store.to_networkx()) == rels(emb.g)


def _shapes(g):
    nodes = sorted((d["label"], d["name"], tuple(d["aliases"]), json.dumps(d["properties"], sort_keys=True),
                    json.dumps(d.get("alternatives", {}), sort_keys=True), d["kind"] or "", tuple(sorted(d["docs"])))
                   for _, d in g.nodes(data=True))
    rels = sorted((g.nodes[u]["name"], k, g.nodes[v]["name"], tuple(sorted(d["docs"])),
                   json.dumps(d["properties"], sort_keys=True)) for u, v, k, d in g.edges(keys=True, data=True))
    return nodes, rels


def test_retracted_letters_leave_the_graph_the_embedded_store_leaves(neo4j_store, tmp_path):
    """Retraction subtracts what the letter said of each node (its tally) and chooses again from
    what is left: after removing letters, names, aliases, kinds, properties and their
    alternatives are those the embedded store, which keeps every letter's word, gives. The
    same holds for a graph written before tallies were kept (its nodes get them from their links)."""
    graphs = _syn_graphs(60)
    gone = [g.doc_id for g in graphs[::7]]
    emb = EmbeddedStore(tmp_path)
    emb.load(graphs)
    for d in gone:
        emb.remove(d)
    want = _shapes(emb.g)
    for untallied in (False, True):
        neo4j_store.clear()
        neo4j_store.load(graphs)
        with neo4j_store.session() as s:
            hubs = s.run("MATCH (n)-[:SUPPORTED_BY]->() WITH n, count(*) AS c WHERE c > 5 RETURN count(n) AS n").single()["n"]
            if untallied:
                s.run("MATCH (n:Entity) REMOVE n.tally_items, n.tally_counts").consume()
        assert hubs > 10          # bodies named by many letters, whose tallies a retraction changes
        for d in gone:
            assert neo4j_store.remove(d)
        assert _shapes(neo4j_store.to_networkx()) == want, untallied
        # every tally (all of them, once a retraction has touched the node) counts what its links say
        with neo4j_store.session(write=False) as s:
            stored = {(r["label"], r["key"]): as_counter(r["items"], r["counts"]) for r in s.run(
                "MATCH (n:Entity) RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.key AS key, "
                "n.tally_items AS items, n.tally_counts AS counts")}
            by_label = defaultdict(list)
            for label, key in stored:
                by_label[label].append(key)
            made = {(label, k): t for label, keys in by_label.items()
                    for k, t in s.execute_read(_tally_from_links, label, keys).items()}
        kept = {k: t for k, t in stored.items() if t or not untallied}
        assert len(kept) > (50 if untallied else len(stored) - 1) and kept == {k: made[k] for k in kept}
