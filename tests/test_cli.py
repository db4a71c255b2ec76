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


# -- conventions: exit codes, errors, help, pipes -----------------------------------------

def _seeded(tmp_path):
    kg("load", ROOT / "corpus", FIXTURES, cwd=tmp_path)
    return tmp_path


def test_a_store_that_does_not_exist_is_an_error_not_zeros(tmp_path):
    for cmd in (["stats"], ["documents"], ["find", "科技"], ["export", "--format", "json", "-o", "x.json"],
                ["viz"], ["query", "members", "--param", "of=x"]):
        p = kg(*cmd, "--store", tmp_path / "typo", cwd=tmp_path, check=False)
        assert p.returncode == 2, (cmd, p.stdout, p.stderr)
        assert p.stderr.count("\n") == 1 and "no store there" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "typo").exists()          # reading never creates a store


def test_documents_lists_id_title_date_replier_and_source(tmp_path):
    _seeded(tmp_path)
    out = json.loads(kg("documents", "--format", "json", cwd=tmp_path).stdout)
    row = next(r for r in out if r["id"] == "jilin-kjt-2022-L37")
    assert row == {"id": "jilin-kjt-2022-L37", "title": "对省政协十二届五次会议第L37号委员提案的答复",
                   "date": "2022-07-06", "replier": "吉林省科学技术厅", "source": row["source"]}
    assert row["source"].endswith("jilin-kjt-2022-L37.txt")
    assert len(out) == 1 + len(list(FIXTURES.glob("*.txt")))


def test_find_by_part_of_a_name_ranked(tmp_path):
    _seeded(tmp_path)
    out = json.loads(kg("find", "魏志", "--format", "json", cwd=tmp_path).stdout)
    assert out[0]["name"] == "魏志鹏" and out[0]["label"] == "Person" and out[0]["documents"] == 1
    out = json.loads(kg("find", "省科技厅", "--format", "json", cwd=tmp_path).stdout)
    # the exact alias first, with its place and documents
    assert out[0]["name"] == "吉林省科学技术厅" and out[0]["matched"] == "省科技厅" and out[0]["place"] == "吉林省"
    out = json.loads(kg("find", "科学技术厅", "--label", "Agency", "--format", "json", cwd=tmp_path).stdout)
    assert {r["label"] for r in out} == {"Agency"} and len(out) >= 2
    assert out[0]["documents"] >= out[-1]["documents"]
    p = kg("find", "没有这个名字", cwd=tmp_path, check=False)
    assert p.returncode == 1


def test_named_queries_say_what_a_name_resolved_to_and_refuse_an_ambiguous_one(tmp_path):
    _seeded(tmp_path)
    p = kg("query", "members", "--param", "of=共同体", "--format", "json", cwd=tmp_path)
    assert "共同体 → 科技成果转移转化共同体 (Institution" in p.stderr
    assert len(json.loads(p.stdout)) >= 5
    p = kg("query", "entity_facts", "--param", "name=省政协", cwd=tmp_path, check=False)
    assert p.returncode == 2 and p.stdout == ""
    assert "中国人民政治协商会议吉林省委员会" in p.stderr and "中国人民政治协商会议湖北省委员会" in p.stderr
    p = kg("query", "members", "--param", "of=魏志", cwd=tmp_path)
    assert "no entity is named '魏志'" in p.stderr


def test_query_output_formats(tmp_path):
    _seeded(tmp_path)
    q = ["query", "--sparql", "PREFIX kg: <https://kg.example.org/ontology#> "
         "SELECT ?n ?s WHERE { ?a a kg:Agency ; kg:name ?n ; kg:supportedBy ?s } ORDER BY ?n"]
    rows = json.loads(kg(*q, "--format", "json", cwd=tmp_path).stdout)
    assert rows and set(rows[0]) == {"n", "s"}
    raw = subprocess.run([*KG, *q, "--format", "csv", "--bom"], cwd=tmp_path, capture_output=True,
                         env={**os.environ, "PYTHONIOENCODING": "utf-8"}).stdout
    assert raw.startswith(b"\xef\xbb\xbfn,s")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "50"}
    env.pop("KG_STORE", None)
    narrow = subprocess.run([*KG, "query", "entity_facts", "--param", "name=吉林省科学技术厅"], cwd=tmp_path,
                            capture_output=True, text=True, env=env).stdout
    from wcwidth import wcswidth
    assert max(wcswidth(line) for line in narrow.splitlines()) <= 50 and "…" in narrow
    wide = subprocess.run([*KG, "query", "entity_facts", "--param", "name=吉林省科学技术厅", "--wide"], cwd=tmp_path,
                          capture_output=True, text=True, env=env).stdout
    assert max(wcswidth(line) for line in wide.splitlines()) > 100
    listing = kg("query", "--list", cwd=tmp_path).stdout
    assert "columns: member, kind" in listing and "columns: issuer" in listing


def test_user_errors_are_one_line_with_the_documented_exit_codes(tmp_path):
    _seeded(tmp_path)
    cases = [
        (["query", "--sparql", "SELECT ?x WHERE { ?x a }"], 2, "(line:1, col:19)"),
        (["query", "co_issuers", "--param", "policy"], 2, "NAME=VALUE"),
        (["query", "nope"], 2, "no query named"),
        (["viz", "--focus", "省科技厅", "--document", "jilin-kjt-2022-L37"], 2, "not allowed with"),
        (["viz", "--focus", "没有这个机构"], 1, "no entity named"),
        (["remove", "nope"], 1, "no such document"),
        (["eval", tmp_path, tmp_path], 1, "nothing to score"),
        (["eval", tmp_path / "no", tmp_path], 2, "not a folder"),
        (["export", "--format", "csv", "-o", "-"], 2, "FOLDER"),
    ]
    for args, code, text in cases:
        p = kg(*args, cwd=tmp_path, check=False)
        assert p.returncode == code, (args, p.returncode, p.stderr)
        assert text in p.stderr and "Traceback" not in p.stderr, (args, p.stderr)
        assert len([line for line in p.stderr.splitlines() if line.startswith("kg")]) == 1, (args, p.stderr)


def test_a_closed_pipe_is_quiet(tmp_path):
    _seeded(tmp_path)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run(f"{sys.executable} -m kg.cli export --format nt -o - | head -1", shell=True,
                       cwd=tmp_path, capture_output=True, text=True, env=env)
    assert p.stdout.count("\n") == 1
    assert "Broken pipe" not in p.stderr and "Traceback" not in p.stderr and "Exception ignored" not in p.stderr


def test_every_argument_has_help_with_an_example():
    from kg.cli import build_parser
    ap = build_parser()
    sub = next(a for a in ap._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert "example:" in (p.epilog or ""), name
        for a in p._actions:
            if a.dest == "help":
                continue
            assert a.help and "e.g." in a.help, (name, a.dest)


def test_shortest_path_names_each_step_with_its_type_and_direction(tmp_path):
    _seeded(tmp_path)
    rows = json.loads(kg("query", "shortest_path", "--param", "from=湖北省财政厅", "--param", "to=湖北省科学技术厅",
                         "--format", "json", cwd=tmp_path).stdout)
    assert rows == [{"hops": 2, "path": "湖北省财政厅 -[ISSUED]→ 湖北省科技成果转化激励办法 ←[ISSUED]- 湖北省科学技术厅"}]
