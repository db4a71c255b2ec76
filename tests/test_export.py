"""Exports opened where people open them: GraphML as Gephi reads it, CSV in pandas and in
Neo4j's offline importer (the real one, from the jars `kg neo4j install` fetched),
JSON-LD with a context, typed dates, standard output."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
import rdflib
from rdflib import XSD

from conftest import FIXTURES, ROOT, SEED, free_port
from kg import csv_export
from kg.export import export, to_graphml_graph
from kg.pipeline import extract_one
from kg.store import EmbeddedStore

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args, cwd, env=None, check=True):
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full.pop("KG_STORE", None)
    if env and "KG_NEO4J_HOME" in env:      # another server: its own password file, not the session's
        full.pop("NEO4J_PASSWORD", None)
    p = subprocess.run([*KG, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=full)
    if check and p.returncode != 0:
        raise AssertionError(f"kg {args} failed ({p.returncode}): {p.stderr}")
    return p


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = EmbeddedStore(tmp_path_factory.mktemp("export") / "store")
    s.load([extract_one(SEED), *(extract_one(p) for p in sorted(FIXTURES.glob("*.txt")))])
    s.save()
    return s


def test_graphml_as_gephi_reads_it(store, tmp_path):
    out = tmp_path / "g.graphml"
    export(store.g, "graphml", out)
    root = ET.parse(out).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = root.findall(".//g:edge", ns)
    assert len(edges) == store.g.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)          # Gephi drops repeated edge ids
    keys = {(k.get("for"), k.get("attr.name")): (k.get("id"), k.get("attr.type")) for k in root.findall("g:key", ns)}
    assert keys[("node", "documents")][1] in ("int", "long")
    assert keys[("edge", "weight")][1] == "double"
    back = nx.read_graphml(out)
    hub = next(v for v, d in store.g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    assert back.nodes[hub]["label"] == "吉林省科学技术厅"                # Gephi labels nodes by `label`
    assert back.nodes[hub]["type"] == "Agency"
    assert "省科技厅" in json.loads(back.nodes[hub]["aliases"])
    assert back.nodes[hub]["documents"] == len(store.g.nodes[hub]["docs"])
    for u, v, d in back.edges(data=True):
        assert d["label"] == d["type"] and d["weight"] >= 1
    flat = to_graphml_graph(store.g)
    assert {d["weight"] for *_, d in flat.edges(data=True)} == {float(len(d["docs"])) for *_, d in store.g.edges(data=True)}


def test_csv_opens_in_pandas_with_typed_columns(store, tmp_path):
    import pandas as pd
    nodes, rels = csv_export.write_csv(store.g, tmp_path / "csv")
    raw = nodes.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")         # UTF-8 with BOM: Excel reads it as UTF-8
    n = pd.read_csv(nodes, encoding="utf-8-sig", keep_default_na=False)
    r = pd.read_csv(rels, encoding="utf-8-sig", keep_default_na=False)
    assert len(n) == store.g.number_of_nodes() and len(r) == store.g.number_of_edges()
    assert list(n.columns[:3]) == ["id:ID", ":LABEL", "name"]
    assert list(r.columns[:4]) == [":START_ID", ":END_ID", ":TYPE", "weight:long"]
    row = n[n["name"] == "吉林省科学技术厅"].iloc[0]
    assert "省科技厅" in row["aliases:string[]"].split("|")
    assert row["documents:long"] == len(store.g.nodes[row["id:ID"]]["docs"])
    doc = n[n["id:ID"] == "Document:jilin-kjt-2022-L37"].iloc[0]
    assert doc["date:date"] == "2022-07-06" and doc["date_text"] == "2022-07-06"
    assert pd.api.types.is_numeric_dtype(n["value:double"].replace("", None).dropna().astype(float))
    assert set(r[":START_ID"]) <= set(n["id:ID"]) and set(r[":END_ID"]) <= set(n["id:ID"])
    issued = r[(r[":TYPE"] == "ISSUED") & (r[":END_ID"].str.startswith("Policy:"))]
    assert issued["evidence:string[]"].str.len().min() > 5


def test_a_month_is_not_written_as_a_day(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("Policy:a", label="Policy", key="a", name="甲方案", kind="", aliases=[], docs=["d1"], evidence=[],
               properties={"date": "2023-05"})
    g.add_node("Policy:b", label="Policy", key="b", name="乙方案", kind="", aliases=[], docs=["d1"], evidence=[],
               properties={"date": "2023-05-04"})
    import pandas as pd
    nodes, _ = csv_export.write_csv(g, tmp_path)
    n = pd.read_csv(nodes, encoding="utf-8-sig", keep_default_na=False).set_index("name")
    assert n.loc["甲方案", "date:date"] == "" and n.loc["甲方案", "date_text"] == "2023-05"
    assert n.loc["乙方案", "date:date"] == "2023-05-04"
    from kg.rdf import to_rdf
    r = to_rdf(g)
    kinds = {o.datatype for o in r.objects(None, rdflib.URIRef("https://kg.example.org/ontology#date"))}
    assert kinds == {XSD.date, XSD.gYearMonth}


def test_csv_loads_with_neo4j_offline_importer(store, tmp_path):
    """neo4j-admin database import full, from the jars kg neo4j install fetched; then served and queried."""
    from kg.server import LocalServer
    folder = tmp_path / "csv"
    p = kg("export", "--store", store.path, "--format", "csv", "-o", folder, cwd=tmp_path)
    assert "nodes" in p.stdout
    home = tmp_path / "neo4j-home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("")
    lib = LocalServer.from_env().cache / "lib"
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    imp = subprocess.run(["java", "-Xmx512m", "-cp", str(lib / "*"), "org.neo4j.cli.AdminTool",
                          *csv_export.import_command(folder)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert imp.returncode == 0, imp.stdout[-3000:] + imp.stderr[-3000:]
    assert f"{store.g.number_of_nodes()} nodes" in imp.stdout
    assert f"{store.g.number_of_edges()} relationships" in imp.stdout
    # serve the imported database and read it back through kg
    srv_env = {"KG_NEO4J_HOME": str(home), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    kg("neo4j", "start", "--allow-root", cwd=tmp_path, env=srv_env)     # the tests run as root in CI
    try:
        q = kg("query", "--neo4j", "--format", "json", "--cypher",
               "MATCH (d:Document {id: 'Document:jilin-kjt-2022-L37'}) "
               "RETURN d.name AS title, d.date AS date, d.documents AS n, keys(d) AS keys", cwd=tmp_path, env=srv_env)
        row = json.loads(q.stdout)[0]
        assert row["title"] == "对省政协十二届五次会议第L37号委员提案的答复"
        assert row["date"] == "2022-07-06" and row["n"] == 1
        assert "id" in row["keys"] and not any(k.startswith("\ufeff") for k in row["keys"])   # the BOM is not a name
        q = kg("query", "--neo4j", "--format", "json", "--cypher",
               "MATCH (:Agency {name: '吉林省科学技术厅'})-[r:ISSUED]->(p:Policy) "
               "RETURN count(r) AS n, min(r.weight) AS w, size(head(collect(r.evidence))) AS ev", cwd=tmp_path, env=srv_env)
        row = json.loads(q.stdout)[0]
        assert row["n"] >= 3 and row["w"] >= 1 and row["ev"] >= 1
    finally:
        kg("neo4j", "stop", cwd=tmp_path, env=srv_env, check=False)


def test_jsonld_has_a_context_and_stdout_works(store, tmp_path):
    p = kg("export", "--store", store.path, "--format", "jsonld", "-o", "-", cwd=tmp_path)
    doc = json.loads(p.stdout)
    assert doc["@context"]["kg"] == "https://kg.example.org/ontology#"
    assert not (tmp_path / "-").exists()
    assert "wrote standard output" in p.stderr
    g = rdflib.Graph().parse(data=p.stdout, format="json-ld")
    assert len(g) > 1000
    p = kg("export", "--store", store.path, "--format", "ttl", "-o", "-", cwd=tmp_path)
    g = rdflib.Graph().parse(data=p.stdout, format="turtle")
    dates = [o for o in g.objects(None, rdflib.URIRef("https://kg.example.org/ontology#date"))]
    assert dates and all(o.datatype in (XSD.date, XSD.gYearMonth, XSD.gYear) for o in dates)
    assert rdflib.Literal("2022-07-06", datatype=XSD.date) in dates
    p = kg("export", "--store", store.path, "--format", "csv", "-o", "-", cwd=tmp_path, check=False)
    assert p.returncode == 2 and "FOLDER" in p.stderr and "Traceback" not in p.stderr
