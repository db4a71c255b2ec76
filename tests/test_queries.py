"""Named queries: the same rows on Neo4j (Cypher), on the embedded store (its own indexes,
kg/store/queries.py) and on the RDF export (the SPARQL twins)."""
import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEED
from kg import query as q
from kg.pipeline import extract_paths
from kg.rdf import to_rdf
from kg.store import EmbeddedStore

PLAN = "吉林省赋予科研人员职务科技成果所有权或长期使用权试点实施方案"
CASES = [
    ("co_issuers", {"policy": PLAN}),
    ("co_issuers", {"policy": "《赋予科研人员职务科技成果所有权或长期使用权试点实施方案》"}),
    ("co_issuance_network", {}),
    ("co_issuance_network", {"from_year": "2023", "to_year": "2023"}),
    ("co_issuance_network", {"limit": "5"}),                         # cut within the ties of one count
    ("co_issuance_network", {"from_year": "0", "to_year": "2023", "limit": "3"}),
    ("co_issuance_network", {"limit": "0"}),
    ("members", {"of": "共同体"}),
    ("members", {"of": "湖北省技术转移联盟"}),
    ("programs_led", {"body": "吉林省科学技术厅"}),
    ("programs_led", {"body": "湖北省科学技术厅"}),
    ("implementation_chain", {"policy": "科技部财政部教育部中科院关于持续开展减轻科研人员负担激发创新活力专项行动"}),
    ("implementation_chain", {"policy": "贯彻落实〈科技部财政部教育部中科院关于持续开展减轻科研人员负担激发创新活力专项行动〉落实方案"}),
    ("entity_facts", {"name": "科技成果转移转化共同体"}),
    ("entity_facts", {"name": "省科技厅"}),
    ("entity_facts", {"name": "省科技厅", "limit": "5"}),              # a page cut within one type
    ("entity_facts", {"name": "省科技厅", "skip": "3", "limit": "4"}),
    ("documents_mentioning", {"name": "中华人民共和国科学技术部"}),
    ("documents_mentioning", {"name": "中华人民共和国科学技术部", "skip": "1", "limit": "1"}),
    ("replies", {}),
    ("replies", {"proposer": "魏志鹏"}),
    ("replies", {"session": "政协"}),
    ("shortest_path", {"from": "魏志鹏", "to": "吉林省科学技术厅"}),
    ("shortest_path", {"from": "省财政厅", "to": "湖北省科学技术厅"}),
]


@pytest.fixture(scope="module")
def corpus_graphs():
    graphs, failed = extract_paths([SEED, FIXTURES], progress=False)
    assert not failed
    return graphs


@pytest.fixture(scope="module")
def embedded(corpus_graphs, tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("emb"))
    store.load(corpus_graphs)
    return store


@pytest.fixture(scope="module")
def rdf(embedded):
    return to_rdf(embedded.g)


def test_every_named_query_has_both_twins_and_a_case():
    lib = q.library()
    assert {"co_issuers", "co_issuance_network", "members", "programs_led", "implementation_chain",
            "entity_facts", "documents_mentioning", "shortest_path", "replies"} <= set(lib)
    for nq in lib.values():
        assert nq.cypher and nq.sparql and nq.description, nq.name
    assert {name for name, _ in CASES} == set(lib)
    # the SPARQL shortest path spells out the relationship types: they must be the schema's
    import re
    from kg.schema import load_schema
    assert set(re.findall(r"\^?kg:([A-Z_]+)", lib["shortest_path"].sparql)) == set(load_schema().relationships)


def test_named_queries_agree_on_neo4j_and_the_embedded_store(neo4j_store, corpus_graphs, embedded, rdf):
    neo4j_store.load(corpus_graphs)
    lib = q.library()
    for name, given in CASES:
        nq = lib[name]
        params = nq.bind(given)
        cols_n, rows_n = q.run_cypher(neo4j_store, nq.cypher, params)
        cols_e, rows_e = embedded.query(name, params)
        cols_s, rows_s = q.run_sparql(rdf, nq.sparql, params)
        assert cols_n == cols_e == cols_s, name
        assert rows_n == rows_e, (name, given, rows_n, rows_e)
        assert rows_n == rows_s, (name, given, rows_n, rows_s)
        assert rows_n, (name, given)     # every case finds something: the comparison is not vacuous


def test_pages_put_together_are_every_row_on_each_store(neo4j_store, corpus_graphs, embedded, rdf):
    """skip and limit page the rows of one order: the pages of 2, one after another, are the
    rows of limit=0, on Neo4j, the embedded store and the SPARQL twin alike; past the end, none."""
    k = 2
    neo4j_store.load(corpus_graphs)
    lib = q.library()
    runs = (lambda nq, p: q.run_cypher(neo4j_store, nq.cypher, p)[1],
            lambda nq, p: embedded.query(nq.name, p)[1],
            lambda nq, p: q.run_sparql(rdf, nq.sparql, p)[1])
    for name, given in (("entity_facts", {"name": "省科技厅"}), ("documents_mentioning", {"name": "中华人民共和国科学技术部"})):
        nq = lib[name]
        for run in runs:
            every = run(nq, nq.bind({**given, "limit": "0"}))
            assert len(every) > k, name
            pages = [run(nq, nq.bind({**given, "skip": str(i), "limit": str(k)})) for i in range(0, len(every) + k, k)]
            assert [r for pg in pages for r in pg] == every and pages[-1] == [], name
            assert all(len(pg) == k for pg in pages[:len(every) // k]), name
    with pytest.raises(q.QueryError, match="whole number"):
        lib["entity_facts"].bind({"name": "x", "limit": "-1"})
    with pytest.raises(q.QueryError, match="whole number"):
        lib["documents_mentioning"].bind({"name": "x", "skip": "a"})


def test_shortest_path_goes_beyond_three_steps(neo4j_store, tmp_path):
    """A chain of five IMPLEMENTS links: found on both stores (the SPARQL twin stops at 3)."""
    from kg.records import DocGraph, Evidence, Node, Relationship
    dg = DocGraph("chain", "h-chain")
    names = [f"第{i}号链条测试方案" for i in range(6)]
    for n in names:
        dg.nodes[f"Policy:{n}"] = Node("Policy", n, evidence=[Evidence("chain", 0, 1, n)])
    for a, b in zip(names, names[1:]):
        r = Relationship("IMPLEMENTS", f"Policy:{a}", f"Policy:{b}", evidence=[Evidence("chain", 0, 1, a + b)])
        dg.relationships[r.id] = r
    store = EmbeddedStore(tmp_path)
    store.load([dg])
    neo4j_store.load([dg])
    nq = q.library()["shortest_path"]
    params = nq.bind({"from": names[0], "to": names[5]})
    expected = [[5, " -[IMPLEMENTS]→ ".join(names)]]      # each step with its type and direction
    assert store.query("shortest_path", params)[1] == expected
    assert q.run_cypher(neo4j_store, nq.cypher, params)[1] == expected
    params = nq.bind({"from": names[0], "to": "没有这个方案"})
    assert store.query("shortest_path", params)[1] == []


def test_seed_answers(rdf):
    lib = q.library()
    _, rows = q.run_sparql(rdf, lib["co_issuers"].sparql, lib["co_issuers"].bind({"policy": PLAN}))
    assert len(rows) == 9
    _, rows = q.run_sparql(rdf, lib["members"].sparql, lib["members"].bind({"of": "科技成果转移转化共同体"}))
    assert len(rows) == 10


def test_queries_are_read_only(neo4j_store, rdf):
    for text in ("MATCH (n) DETACH DELETE n", "CREATE (:Agency {key: 'x'})", "MATCH (n) SET n.x = 1 RETURN n",
                 "MERGE (n:Agency {key: 'x'}) RETURN n"):
        with pytest.raises(q.QueryError, match="refused"):
            q.run_cypher(neo4j_store, text, {})
    # a clause word inside a string is not a clause
    assert q.run_cypher(neo4j_store, "RETURN 'CREATE' AS word", {}) == (["word"], [["CREATE"]])
    with pytest.raises(q.QueryError, match="refused"):
        q.run_sparql(rdf, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", {})
    # the session itself is read-only too: a write slipped past the guard still fails
    from neo4j.exceptions import ClientError
    with neo4j_store.session(write=False) as s, pytest.raises(ClientError):
        s.run("CALL { CREATE (:Agency {key: 'sneaky'}) } RETURN 1").consume()


def test_parameters_are_sent_as_parameters(rdf):
    evil = "x' OR 1=1 //"
    lib = q.library()
    _, rows = q.run_sparql(rdf, lib["members"].sparql, lib["members"].bind({"of": evil}))
    assert rows == []
    with pytest.raises(q.QueryError, match="missing --param of"):
        lib["members"].bind({})
    with pytest.raises(q.QueryError, match="unknown parameter"):
        lib["members"].bind({"of": "x", "oops": "y"})


def test_kg_query_command(tmp_path):
    def kg(*args):
        return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=tmp_path,
                              capture_output=True, text=True)
    assert kg("load", SEED).returncode == 0
    out = kg("query", "members", "--param", "of=共同体", "--format", "json")
    assert out.returncode == 0 and len(json.loads(out.stdout)) == 10
    csv_out = kg("query", "co_issuers", "--param", f"policy={PLAN}", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "issuer,label" and len(csv_out) == 10
    table = kg("query", "co_issuers", "--param", f"policy={PLAN}").stdout
    assert "(9 rows)" in table
    assert "members(of)" in kg("query", "--list").stdout
    sparql = kg("query", "--sparql", "PREFIX kg: <https://kg.example.org/ontology#> "
                "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Agency }", "--format", "json")
    assert json.loads(sparql.stdout)[0]["n"] > 10
    bad = kg("query", "--cypher", "MATCH (n) RETURN n")
    assert bad.returncode == 2 and "--neo4j" in bad.stderr
    assert kg("query", "nope").returncode == 2
    # a full page says on standard error how to ask for the rest; the rows stay clean
    full = kg("query", "entity_facts", "--param", "name=共同体", "--param", "limit=2", "--format", "json")
    assert full.returncode == 0 and len(json.loads(full.stdout)) == 2
    assert "rows 1–2 shown; --param limit=0 for all, --param skip=2 for the next 2" in full.stderr
    rest = kg("query", "entity_facts", "--param", "name=共同体", "--param", "skip=2", "--format", "json")
    every = kg("query", "entity_facts", "--param", "name=共同体", "--param", "limit=0", "--format", "json")
    assert json.loads(full.stdout) + json.loads(rest.stdout) == json.loads(every.stdout)
    assert "shown" not in rest.stderr and "shown" not in every.stderr
    bad = kg("query", "entity_facts", "--param", "name=共同体", "--param", "limit=all")
    assert bad.returncode == 2 and "limit=all: a whole number is needed" in bad.stderr


def test_entity_facts_pages_cut_within_ties_and_repeats(neo4j_store, tmp_path):
    """entity_facts reads evidence only for the facts that can be on the page (the first skip + limit
    by type, direction, other and documents): a page cut among facts tied on all four (told apart by
    their evidence) or repeating one another (one row) is still that slice of every row, on both stores."""
    from kg.records import DocGraph, Evidence, Node, Relationship
    dg = DocGraph("ties", "h-ties")
    hub = Node("Agency", "测试枢纽厅", evidence=[Evidence("ties", 0, 1, "枢纽句")])
    dg.nodes[hub.id] = hub
    facts = [("Institution", "1号测试单位", "一号句"), ("Program", "1号测试单位", "一号句"),    # the same row twice
             ("Program", "2号测试单位", "甲句"), ("Institution", "2号测试单位", "乙句"),        # tied but for evidence
             ("Institution", "3号测试单位", "丙句"), ("Institution", "4号测试单位", "丁句")]
    for label, name, sentence in facts:
        n = Node(label, name, evidence=[Evidence("ties", 0, 1, sentence)])
        dg.nodes[n.id] = n
        r = Relationship("SUPPORTS", hub.id, n.id, evidence=[Evidence("ties", 0, 1, sentence)])
        dg.relationships[r.id] = r
    store = EmbeddedStore(tmp_path)
    store.load([dg])
    neo4j_store.load([dg])
    nq = q.library()["entity_facts"]
    runs = (lambda p: q.run_cypher(neo4j_store, nq.cypher, p)[1], lambda p: store.query("entity_facts", p)[1])
    for run in runs:
        every = run(nq.bind({"name": "测试枢纽厅", "limit": "0"}))
        assert [(r[2], r[4]) for r in every] == [("1号测试单位", "一号句"), ("2号测试单位", "乙句"), ("2号测试单位", "甲句"),
                                               ("3号测试单位", "丙句"), ("4号测试单位", "丁句")]
        for limit in (1, 2, 3):
            for skip in range(len(every) + 1):
                page = run(nq.bind({"name": "测试枢纽厅", "skip": str(skip), "limit": str(limit)}))
                assert page == every[skip: skip + limit], (skip, limit)
