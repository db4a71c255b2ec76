"""`kg load --neo4j --bulk` (Neo4j's offline importer) gives the graph the online writer gives:
the same nodes, relationships and properties (evidence and docs included), the same support
links, the same indexes, and the same answers to every named query."""
import csv
import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, free_port, run_kg
from kg import query as q
from kg.store.bulk_csv import ARRAY_DELIMITER, ImportCsvWriter, importer_args
from test_queries import CASES

LETTERS = [ROOT / "corpus", FIXTURES]


def _dump(store):
    with store.session(write=False) as s:
        nodes = {(next(l for l in r["labels"] if l != "Entity"), r["p"]["key"]): (sorted(r["labels"]), r["p"])
                 for r in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS p")}
        rels = {}
        for r in s.run("MATCH (a)-[r]->(b) RETURN a.key AS a, [l IN labels(a) WHERE l <> 'Entity'][0] AS la, "
                       "type(r) AS t, properties(r) AS p, b.key AS b, [l IN labels(b) WHERE l <> 'Entity'][0] AS lb"):
            key = (r["t"], r["la"], r["a"], r["lb"], r["b"])
            assert key not in rels, key           # one relationship per type and pair, in both
            rels[key] = r["p"]
        indexes = {(r["name"], r["type"]) for r in s.run("SHOW INDEXES YIELD name, type")}
        constraints = {r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name")}
    return nodes, rels, indexes, constraints


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory):
    """A second local server, filled by `kg load --neo4j --bulk` before its first start."""
    from kg.server import LocalServer
    env = {"KG_NEO4J_HOME": str(tmp_path_factory.mktemp("bulk-home")), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
           "KG_NEO4J_ALLOW_ROOT": "1"}
    p = run_kg("load", "--neo4j", "--bulk", *LETTERS, env=env)
    try:
        assert p.returncode == 0, p.stderr
        # each phase after the extraction says what it is doing (minutes at national scale)
        assert "writing the importer's files" in p.stderr and "the server is stopped meanwhile" in p.stderr
        assert "constraints and indexes" in p.stderr and "Traceback" not in p.stderr
        yield env, p
    finally:
        run_kg("neo4j", "stop", env=env)
        assert not LocalServer(Path(env["KG_NEO4J_HOME"]), None, 0).pid()


@pytest.fixture(scope="module")
def bulk_store(bulk_server):
    from kg.store.neo4j_store import Neo4jConfig, Neo4jStore
    env, _ = bulk_server
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        store = Neo4jStore(Neo4jConfig.from_env())
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield store
    store.close()


def test_bulk_and_online_give_the_same_graph(neo4j_store, bulk_server, bulk_store):
    online = run_kg("load", "--neo4j", *LETTERS)
    assert online.returncode == 0, online.stderr
    env, bulk = bulk_server
    # the same summary: documents, nodes and relationships added
    assert online.stdout.split(";")[1].split("→")[0] == bulk.stdout.split(";")[1].split("→")[0]
    n_on, r_on, ix_on, c_on = _dump(neo4j_store)
    n_bu, r_bu, ix_bu, c_bu = _dump(bulk_store)
    assert len(n_on) > 100 and len(r_on) > 100
    assert set(n_on) == set(n_bu)
    for k in n_on:
        assert n_on[k] == n_bu[k], k
    assert set(r_on) == set(r_bu)
    for k in r_on:
        assert r_on[k] == r_bu[k], k
    assert {k[0] for k in r_on} >= {"SUPPORTED_BY", "ISSUED", "MEMBER_OF", "CO_ISSUED"}   # CO_ISSUED: kept online, made whole in bulk
    assert ix_on == ix_bu and c_on == c_bu
    assert neo4j_store.stats() == bulk_store.stats()
    lib = q.library()
    for name, given in CASES:
        nq = lib[name]
        params = nq.bind(given)
        assert q.run_cypher(neo4j_store, nq.cypher, params) == q.run_cypher(bulk_store, nq.cypher, params), name


def test_online_loads_continue_a_bulk_graph(bulk_server, bulk_store, tmp_path):
    """After a bulk load the online writer takes over: an edited letter replaces its facts."""
    env, _ = bulk_server
    seed = (ROOT / "corpus" / "jilin-kjt-2022-L37.txt").read_text(encoding="utf-8")
    (tmp_path / "jilin-kjt-2022-L37.txt").write_text(seed.replace("科技成果转移转化共同体", "科技成果转化联合体"),
                                                      encoding="utf-8")
    p = run_kg("load", "--neo4j", tmp_path, env=env)
    assert p.returncode == 0 and "1 replaced" in p.stdout, p.stdout + p.stderr
    with bulk_store.session(write=False) as s:
        broken = s.run("MATCH (n:Entity) WHERE n.forms IS NULL OR n.aliases IS NULL OR n.evidence_docs IS NULL "
                       "OR n.forms <> reduce(f = '|' + n.name + '|', a IN n.aliases | f + a + '|') "
                       "RETURN count(n) AS c").single()["c"]
        letter = s.run("MATCH (d:Document {key: 'jilin-kjt-2022-L37'}) RETURN d.content_hash AS h, "
                       "COUNT { (n)-[:SUPPORTED_BY]->(d) } AS named").single()
    assert broken == 0
    assert letter["h"] and letter["named"] > 50


def test_bulk_refuses_a_database_that_is_not_empty(bulk_server):
    env, _ = bulk_server
    p = run_kg("load", "--neo4j", "--bulk", FIXTURES, env=env)
    assert p.returncode == 2 and "not empty" in p.stderr and "Traceback" not in p.stderr
    assert "--neo4j" in run_kg("load", "--bulk", FIXTURES).stderr


def test_csv_writer_types_arrays_and_multiline(tmp_path):
    with ImportCsvWriter(tmp_path) as w:
        w.node("A:1", ["Agency", "Entity"], {"key": "1", "name": "一\n二, \"三\"", "aliases": [], "value": 3})
        w.node("A:2", ["Agency", "Entity"], {"key": "2", "name": "x", "aliases": ["a;b", "c"], "value": 2.5})
        w.relationship("A:1", "A:2", "ISSUED", {"docs": ["d1", "d2"], "evidence_starts": [1, 2]})
    files = w.files
    assert len(files.nodes) == 2                      # value long in one, double in the other
    assert ("node", "Agency:Entity", "aliases") in files.empty_lists
    with open(files.nodes[0], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [":ID", ":LABEL", "aliases:string[]", "key:string", "name:string", "value:long"]
    assert rows[1] == ["A:1", f"Agency{ARRAY_DELIMITER}Entity", "", "1", "一\n二, \"三\"", "3"]
    with open(files.relationships[0], encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][3:] == ["docs:string[]", "evidence_starts:long[]"]
    assert rows[1][3:] == [f"d1{ARRAY_DELIMITER}d2", f"1{ARRAY_DELIMITER}2"]
    assert "--multiline-fields=true" in importer_args(files)


def test_csv_rows_of_declared_types_are_the_rows_relationship_writes(tmp_path):
    """ImportCsvWriter.relationships (types declared once) writes what .relationship writes
    row by row: the same fields, empty lists and lists holding '' noted alike."""
    rows = [("A:1", "Document:d1", (["省科技厅", "科技厅"], '{"names": ["x"]}')),
            ("A:2", "Document:d1", ([], "")),
            ("A:3", "Document:d2", (["", "y"], "{}"))]
    sig = (("forms", "string[]"), ("said", "string"))
    with ImportCsvWriter(tmp_path / "one") as one:
        for s, t, (forms, said) in rows:
            one.relationship(s, t, "SUPPORTED_BY", {"forms": forms, "said": said})
    with ImportCsvWriter(tmp_path / "many") as many:
        many.relationships("SUPPORTED_BY", sig, iter(rows))
        many.relationships("CO_ISSUED", (("policies", "long"),), iter([]))     # no rows, no file

    def read(files):
        out = []
        for p in files.relationships:
            with open(p, encoding="utf-8", newline="") as f:
                out += list(csv.reader(f))
        return out
    assert read(many.files) == read(one.files)
    assert len(many.files.relationships) == 1
    assert many.files.empty_lists == one.files.empty_lists == {("relationship", "SUPPORTED_BY", "forms")}
    assert many.files.fixups == one.files.fixups
    assert many.files.relationship_count == 3
    with pytest.raises(ValueError, match="U\\+001F"):
        many.relationships("SUPPORTED_BY", sig, [("A:4", "Document:d3", ([f"a{ARRAY_DELIMITER}b"], ""))])


def test_relationships_written_by_a_forked_child_are_the_same_rows(tmp_path):
    """MemoryGraph.write_csv(parallel=True) (the bulk path's) writes the rows the one-process
    writer writes, the support links streamed during the merge included, and notes the same
    empty lists."""
    from kg.pipeline import extract_paths
    from kg.store.bulk import MemoryGraph
    from kg.store.embedded import LoadResult
    graphs, failed = extract_paths(LETTERS, progress=False, jobs=1)
    assert graphs and not failed

    def rows(files):
        out = {}
        for p in files.nodes + files.relationships:
            with open(p, encoding="utf-8", newline="") as f:
                header, *body = list(csv.reader(f))
            out.setdefault(tuple(header), []).extend(map(tuple, body))
        return {h: sorted(b) for h, b in out.items()}

    one = MemoryGraph()
    one.load(graphs, LoadResult(), batch_size=3)
    serial = one.write_csv(tmp_path / "serial")
    two = MemoryGraph(ImportCsvWriter(tmp_path / "parallel"))
    two.load(graphs, LoadResult(), batch_size=3)
    forked = two.write_csv(parallel=True)
    assert rows(forked) == rows(serial)
    assert any(p.name.startswith("r-") for p in forked.relationships)
    assert (forked.node_count, forked.relationship_count, forked.empty_lists) == \
        (serial.node_count, serial.relationship_count, serial.empty_lists)
