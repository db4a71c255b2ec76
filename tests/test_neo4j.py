"""The Neo4j store, against a real Neo4j server started by the project itself."""
import json
import os
import subprocess
import sys

from conftest import FIXTURES, ROOT, SEED, SHARED, free_port
from kg.extract import extract
from kg.pipeline import extract_one, extract_paths, finalize
from kg.records import RawDocument
from kg.schema import load_schema
from kg.store import EmbeddedStore

CORPUS = [SHARED / "corpus"] if (SHARED / "corpus").exists() else [ROOT / "corpus"]
CORPUS += [FIXTURES]


def kg(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_start_is_idempotent_and_status_reports(neo4j_server):
    assert neo4j_server in kg("neo4j", "start")
    assert "already running" in kg("neo4j", "start")
    assert "running bolt://" in kg("neo4j", "status")


def test_a_running_home_is_not_started_again_on_another_port(neo4j_server):
    """A second server on the same home would find its store locked, and its pid would hide the
    first from `kg neo4j stop`: refused, with the port to use."""
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    p = subprocess.run([sys.executable, "-m", "kg.cli", "neo4j", "start", "--allow-root"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0 and "already running" in p.stderr, p.stderr
    assert f"NEO4J_URI={neo4j_server}" in p.stderr
    assert "running bolt://" in kg("neo4j", "status")      # the first one is still the home's server


def test_constraints_and_indexes_come_from_the_schema(neo4j_store):
    neo4j_store.apply_schema()          # a second time: nothing changes, nothing fails
    with neo4j_store.session(write=False) as s:
        constraints = {r["name"]: r for r in s.run("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type")}
        indexes = {r["name"]: r["type"] for r in s.run("SHOW INDEXES YIELD name, type")}
    for label in load_schema().labels:
        c = constraints[f"kg_{label.lower()}_key"]
        assert c["labelsOrTypes"] == [label] and c["properties"] == ["key"] and c["type"] == "UNIQUENESS"
        assert indexes[f"kg_{label.lower()}_name"] == "RANGE"
    assert indexes["kg_names"] == "FULLTEXT"


def test_corpus_loaded_twice_gives_identical_counts(neo4j_store):
    graphs, failed = extract_paths(CORPUS)
    assert not failed
    first = neo4j_store.load(graphs)
    stats1 = neo4j_store.stats()
    again = neo4j_store.load(extract_paths(CORPUS)[0])
    assert len(first.loaded) == len(graphs) and again.loaded == [] and len(again.unchanged) == len(graphs)
    assert neo4j_store.stats() == stats1
    assert first.nodes_added == stats1["nodes"] and first.relationships_added == stats1["relationships"]


def test_facts_keep_their_evidence_in_neo4j(neo4j_store):
    neo4j_store.load([extract_one(SEED)])
    with neo4j_store.session(write=False) as s:
        rows = s.run("""MATCH (a)-[r:ISSUED]->(p:Policy {name: $plan})
                        RETURN a.name AS a, r.evidence_docs AS docs, r.evidence_sentences AS sents""",
                     plan="吉林省赋予科研人员职务科技成果所有权或长期使用权试点实施方案").data()
        members = s.run("MATCH (m)-[:MEMBER_OF]->(:Institution {name: '科技成果转移转化共同体'}) RETURN count(m) AS c").single()["c"]
    assert len(rows) == 9
    assert all(r["docs"] == ["jilin-kjt-2022-L37"] * len(r["sents"]) and r["sents"] for r in rows)
    assert members == 10


LETTER = "对第{n}号提案的答复\n\n周九委员：\n您提出的《关于庚的建议》收悉。\n{body}\n\n浙江省科学技术厅\n2023年3月4日\n"


def _graph(doc_id, body, n=1):
    return finalize(extract(RawDocument(doc_id, LETTER.format(n=n, body=body))))


def _names(store):
    with store.session(write=False) as s:
        return {r["n"] for r in s.run("MATCH (n) RETURN n.name AS n")}


def test_edited_document_loses_stale_facts_and_keeps_shared_ones(neo4j_store):
    neo4j_store.load([_graph("a", "联合省财政厅出台《浙江省甲方案》。与浙江大学签订合作协议。"),
                      _graph("b", "联合省财政厅出台《浙江省甲方案》。", n=2)])
    assert "浙江大学" in _names(neo4j_store)
    result = neo4j_store.load([_graph("a", "举办“浙江科技论坛”。")])
    assert result.replaced == ["a"]
    names = _names(neo4j_store)
    assert "浙江大学" not in names and "浙江省甲方案" in names and "浙江科技论坛" in names
    with neo4j_store.session(write=False) as s:
        plan = s.run("MATCH (p:Policy {name: '浙江省甲方案'}) "
                     "RETURN [(p)-[:SUPPORTED_BY]->(d) | d.key] AS docs, p.evidence_docs AS ev").single()
        issued = s.run("MATCH (:Agency {name: '浙江省财政厅'})-[r:ISSUED]->(:Policy {name: '浙江省甲方案'}) "
                       "RETURN r.docs AS docs").single()
    assert plan["docs"] == ["b"] and set(plan["ev"]) == {"b"}
    assert issued["docs"] == ["b"]
    assert neo4j_store.remove("a") and not neo4j_store.remove("a")
    assert "浙江科技论坛" not in _names(neo4j_store)
    _forms_follow_names(neo4j_store)


def _forms_follow_names(store):
    """Every node is an :Entity whose `forms` (what named queries look names up by) lists
    exactly its name and aliases, after loads, edits and removals alike."""
    with store.session(write=False) as s:
        rows = s.run("MATCH (n) RETURN n:Entity AS entity, n.name AS name, n.aliases AS aliases, n.forms AS forms").data()
    assert rows
    for r in rows:
        assert r["entity"], r
        assert r["forms"] == "|" + "|".join([r["name"], *r["aliases"]]) + "|", r


def test_two_loaders_at_once_leave_no_duplicates(neo4j_store, tmp_path):
    a = [SEED, FIXTURES / "hubei-kjt-2023-101.txt"]
    b = [FIXTURES / "hubei-kjt-2023-101.txt", SEED, FIXTURES / "xianning-kjj-2024-12.txt"]
    # the same body from different letters, written by two processes at the same moment
    for i, docs in enumerate((a, b)):
        (tmp_path / f"set{i}").mkdir()
        for d in docs:
            (tmp_path / f"set{i}" / f"{d.stem}-{i}.txt").write_text(d.read_text(encoding="utf-8"), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "kg.cli", "load", "--neo4j", str(tmp_path / f"set{i}")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    with neo4j_store.session(write=False) as s:
        dups = s.run("MATCH (n) WITH labels(n) AS l, n.key AS k, count(*) AS c WHERE c > 1 RETURN l, k, c").data()
        agency = s.run("MATCH (n:Agency {key: '吉林省科学技术厅'}) RETURN COUNT { (n)-[:SUPPORTED_BY]->() } AS d").single()["d"]
    assert dups == []
    assert agency == 2


def test_named_lookup_uses_the_forms_index(neo4j_store):
    neo4j_store.load([extract_one(SEED)])
    _forms_follow_names(neo4j_store)
    with neo4j_store.session(write=False) as s:
        r = s.run("PROFILE MATCH (n:Entity) WHERE n.forms CONTAINS '|' + $x + '|' RETURN n.name AS name", x="省科技厅")
        names = [x["name"] for x in r]
        plan = str(r.consume().profile)
    assert names == ["吉林省科学技术厅"]
    assert "NodeIndexContainsScan" in plan       # an index seek, not a scan of every node


def test_stats_equal_the_embedded_store(neo4j_store, tmp_path):
    kg("load", "--neo4j", *CORPUS)
    kg("load", "--store", tmp_path / "emb", *CORPUS)
    neo = json.loads(kg("stats", "--neo4j", "--format", "json"))
    emb = json.loads(kg("stats", "--store", tmp_path / "emb", "--format", "json"))
    assert neo == emb and neo["nodes"] > 100


def test_export_and_viz_from_neo4j(neo4j_store, tmp_path):
    neo4j_store.load([extract_one(SEED)])
    kg("export", "--neo4j", "--format", "json", "-o", tmp_path / "n.json")
    emb = EmbeddedStore(tmp_path / "emb")
    emb.load([extract_one(SEED)])
    data = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == set(emb.g.nodes)
    assert {(r["type"], r["source"], r["target"]) for r in data["relationships"]} == \
        {(k, u, v) for u, v, k in emb.g.edges(keys=True)}
    kg("viz", "--neo4j", "-o", tmp_path / "n.html")
    assert "吉林省科学技术厅" in (tmp_path / "n.html").read_text(encoding="utf-8")


def test_stats_never_show_half_a_commit(neo4j_store):
    """`kg stats --neo4j` while another loader commits: every count is of one state of the
    graph, the one before a commit or the one after, never a mixture."""
    import threading
    from kg.store.neo4j_store import Neo4jStore
    neo4j_store.load([extract_one(SEED)])
    without = neo4j_store.stats()
    extra = _graph("x", "联合省财政厅出台《浙江省甲方案》。与浙江大学签订合作协议。举办“浙江科技论坛”。")
    neo4j_store.load([extra])
    with_x = neo4j_store.stats()
    neo4j_store.remove("x")
    assert with_x != without and neo4j_store.stats() == without
    stop = threading.Event()

    def toggle():
        with Neo4jStore() as other:
            while not stop.is_set():
                other.load([extra])
                other.remove("x")

    t = threading.Thread(target=toggle)
    t.start()
    try:
        seen = [neo4j_store.stats() for _ in range(150)]
    finally:
        stop.set()
        t.join()
    torn = [s for s in seen if s not in (without, with_x)]
    assert not torn, f"{len(torn)} of {len(seen)} readings were of no state of the graph: {torn[0]}"
    assert with_x in seen and without in seen        # the writer did commit in between
