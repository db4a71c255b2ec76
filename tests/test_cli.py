"""The kg command, end to end, as a user runs it."""
import json
import os
import re
import subprocess
import sys

import networkx as nx
import rdflib

from conftest import FIXTURES, ROOT, SEED

KG = [sys.executable, "-m", "kg.cli"]


def kg(*args, cwd, check=True):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("KG_STORE", None)
    p = subprocess.run([*KG, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"kg {args} failed ({p.returncode}): {p.stderr}")
    return p


def test_extract_prints_the_scorer_shape(tmp_path):
    out = json.loads(kg("extract", SEED, "--format", "json", cwd=tmp_path).stdout)
    assert out["nodes"] and out["relationships"]
    for n in out["nodes"]:
        assert {"id", "label", "name", "aliases", "properties"} <= set(n)
    ids = {n["id"] for n in out["nodes"]}
    for r in out["relationships"]:
        assert {"type", "source", "target", "properties", "evidence"} <= set(r)
        assert r["source"] in ids and r["target"] in ids
    assert not (tmp_path / "kg-data").exists()     # extract touches no store


def test_load_stats_export_viz_round_trip(tmp_path):
    n = 1 + len(list(FIXTURES.glob("*.txt")))
    p = kg("load", ROOT / "corpus", FIXTURES, cwd=tmp_path)
    assert f"loaded {n} document(s)" in p.stdout
    stats1 = json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout)
    assert stats1["documents"] == n and stats1["labels"]["Agency"] > 15
    p = kg("load", ROOT / "corpus", FIXTURES, cwd=tmp_path)
    assert f"{n} unchanged" in p.stdout
    assert json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout) == stats1
    # --store and KG_STORE name other stores
    kg("load", "--store", tmp_path / "other", SEED, cwd=tmp_path)
    assert json.loads(kg("stats", "--store", tmp_path / "other", "--format", "json", cwd=tmp_path).stdout)["documents"] == 1

    kg("export", "--format", "json", "-o", "g.json", cwd=tmp_path)
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == stats1["nodes"] and len(data["relationships"]) == stats1["relationships"]

    kg("export", "--format", "graphml", "-o", "g.graphml", cwd=tmp_path)
    gm = nx.read_graphml(tmp_path / "g.graphml")
    assert gm.number_of_nodes() == stats1["nodes"] and gm.number_of_edges() == stats1["relationships"]

    iris = []
    for fmt, rdf_fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        kg("export", "--format", fmt, "-o", f"g.{fmt}", cwd=tmp_path)
        g = rdflib.Graph().parse(tmp_path / f"g.{fmt}", format=rdf_fmt)
        assert len(g) > 1000
        iris.append({s for s in g.subjects() if "/id/Agency/" in str(s)})
    assert iris[0] == iris[1] == iris[2]
    # IRIs are stable: the same store exported again gives the same file
    kg("export", "--format", "nt", "-o", "again.nt", cwd=tmp_path)
    assert sorted((tmp_path / "again.nt").read_text(encoding="utf-8").splitlines()) == \
        sorted((tmp_path / "g.nt").read_text(encoding="utf-8").splitlines())

    kg("viz", "-o", "graph.html", cwd=tmp_path)
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "吉林省科学技术厅" in html
    # nothing is fetched: no external script, style sheet or font
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html)
    assert "cdn" not in html.lower().replace("cdnjs", "") or "cdn.jsdelivr" not in html


def test_remove_command(tmp_path):
    kg("load", SEED, cwd=tmp_path)
    assert "removed 1" in kg("remove", "jilin-kjt-2022-L37", cwd=tmp_path).stdout
    assert json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout)["nodes"] == 0
    p = kg("remove", "nope", cwd=tmp_path, check=False)
    assert p.returncode == 1 and "nope: no such document" in p.stderr


def test_bad_paths_fail_clearly_and_the_rest_loads(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    p = kg("load", SEED, tmp_path / "missing.txt", tmp_path / "empty.txt", cwd=tmp_path, check=False)
    assert p.returncode == 1
    assert "missing.txt: no such file" in p.stderr and "empty.txt: empty file" in p.stderr
    assert "Traceback" not in p.stderr
    assert json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout)["documents"] == 1


def test_load_on_several_processes_equals_one(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic
    corpus = synthetic.write_corpus(tmp_path, 40, with_gold=False)
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    stats = []
    for jobs in ("1", "2"):
        store = tmp_path / f"store{jobs}"
        p = kg("load", "--store", store, "--jobs", jobs, "--batch", "7", corpus, cwd=tmp_path, check=False)
        assert p.returncode == 1 and "loaded 40 document(s)" in p.stdout and "1 failed" in p.stdout
        assert "broken.txt" in p.stderr
        stats.append(kg("stats", "--store", store, "--format", "json", cwd=tmp_path).stdout)
    assert stats[0] == stats[1] and json.loads(stats[0])["documents"] == 40
