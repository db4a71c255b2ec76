"""kg query output from a real Neo4j: nodes, relationships and paths as their properties,
dates as ISO text, lists as JSON in CSV, syntax errors on one line."""
import csv
import io
import json
import os
import subprocess
import sys

from conftest import SEED
from kg.pipeline import extract_one

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args, check=True):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([*KG, *map(str, args)], capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"kg {args} failed ({p.returncode}): {p.stderr}")
    return p


def test_neo4j_values_render_as_properties(neo4j_store, tmp_path):
    neo4j_store.load([extract_one(SEED)])
    q = ["query", "--neo4j", "--cypher"]
    rows = json.loads(kg(*q, "MATCH (a:Agency {name: '吉林省科学技术厅'}) RETURN a", "--format", "json").stdout)
    node = rows[0]["a"]
    assert node["name"] == "吉林省科学技术厅" and "Agency" in node["_labels"] and "省科技厅" in node["aliases"]
    assert "forms" not in node                   # the lookup helper is not a fact
    rows = json.loads(kg(*q, "MATCH (:Agency {name: '吉林省科学技术厅'})-[r:ISSUED]->(p:Policy) RETURN r, p.name AS policy "
                             "ORDER BY policy LIMIT 1", "--format", "json").stdout)
    rel = rows[0]["r"]
    assert rel["_type"] == "ISSUED" and rel["docs"] == ["jilin-kjt-2022-L37"] and rel["evidence_sentences"]
    rows = json.loads(kg(*q, "MATCH p = (:Agency {name: '吉林省科学技术厅'})-[:ISSUED]->(:Policy) RETURN p LIMIT 1",
                         "--format", "json").stdout)
    path = rows[0]["p"]
    assert [n["name"] for n in path["nodes"]][0] == "吉林省科学技术厅" and path["relationships"][0]["_type"] == "ISSUED"
    assert path["relationships"][0]["_start"] == "吉林省科学技术厅"      # ends by name when the driver has them
    out = kg(*q, "MATCH (a:Agency {name: '吉林省科学技术厅'}) RETURN a, a.aliases AS aliases", "--format", "csv").stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert json.loads(row["a"])["name"] == "吉林省科学技术厅"        # an object as JSON, not a Python repr
    assert "省科技厅" in json.loads(row["aliases"])                  # a list as JSON
    table = kg(*q, "MATCH (a:Agency {name: '吉林省科学技术厅'}) RETURN a").stdout
    assert "<Node" not in table and "吉林省科学技术厅" in table
    rows = json.loads(kg(*q, "RETURN date('2022-07-06') AS d, datetime('2022-07-06T10:00:00Z') AS t",
                         "--format", "json").stdout)
    assert rows[0]["d"] == "2022-07-06" and rows[0]["t"].startswith("2022-07-06T10:00:00")


def test_a_cypher_syntax_error_is_one_line(neo4j_store):
    p = kg("query", "--neo4j", "--cypher", "MATCH (n) RETRN n", check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr


def test_find_documents_and_name_resolution_on_neo4j(neo4j_store):
    from conftest import FIXTURES
    neo4j_store.load([extract_one(SEED), extract_one(FIXTURES / "hubei-kjt-2023-101.txt")])
    hits = json.loads(kg("find", "--neo4j", "省科技厅", "--format", "json").stdout)
    assert hits[0]["name"] == "吉林省科学技术厅" and hits[0]["label"] == "Agency" and hits[0]["documents"] == 1
    hits = json.loads(kg("find", "--neo4j", "魏志", "--format", "json").stdout)
    assert hits[0]["name"] == "魏志鹏"
    docs = json.loads(kg("documents", "--neo4j", "--format", "json").stdout)
    row = next(d for d in docs if d["id"] == "jilin-kjt-2022-L37")
    assert row["title"] == "对省政协十二届五次会议第L37号委员提案的答复" and row["replier"] == "吉林省科学技术厅"
    p = kg("query", "--neo4j", "entity_facts", "--param", "name=省政协", check=False)
    assert p.returncode == 2 and "中国人民政治协商会议湖北省委员会" in p.stderr and "中国人民政治协商会议吉林省委员会" in p.stderr
    p = kg("query", "--neo4j", "members", "--param", "of=共同体", "--format", "json")
    assert "→ 科技成果转移转化共同体" in p.stderr and json.loads(p.stdout)
