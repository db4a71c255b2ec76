"""kg eval: quality stays measured as the code changes."""
import copy
import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, SHARED
from kg.evaluate import score
from kg.pipeline import extract_one

GOLD = FIXTURES.parent / "gold"


def system_of(path):
    d = extract_one(path).as_dict()
    return {"nodes": d["nodes"], "relationships": d["relationships"]}


def test_kg_eval_prints_per_document_and_micro_average():
    p = subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(FIXTURES), str(GOLD)],
                       capture_output=True, text=True, check=True)
    lines = p.stdout.strip().splitlines()
    assert lines[0].startswith("xianning-kjj-2024-12") and "entity F1 1.000" in lines[0]
    assert lines[-1].startswith("micro-average of 1 documents") and "relation P 1.000 R 1.000 F1 1.000" in lines[-1]


def broken(good):
    bad = copy.deepcopy(good)
    bad["relationships"] = [r for r in bad["relationships"] if r["type"] != "COOPERATES_WITH"]
    twin = next(n for n in bad["nodes"] if n["name"] == "咸宁市财政局")
    bad["nodes"].append({**twin, "id": "Agency:dup"})                     # resolution failed
    bad["nodes"].append({"id": "Agency:x", "label": "Agency", "name": "有关部门", "aliases": [], "properties": {}})
    return bad


def test_scores_fall_when_the_graph_is_wrong():
    gold = json.loads((GOLD / "xianning-kjj-2024-12.json").read_text(encoding="utf-8"))
    good = system_of(FIXTURES / "xianning-kjj-2024-12.txt")
    assert score(good, gold).entity[2] == 1.0
    s = score(broken(good), gold)
    assert s.duplicates == 1 and s.e_fp == 2 and s.r_fn == 1
    assert s.entity[2] < 1.0 and s.relation[1] < 1.0


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="no ../shared/eval here")
def test_agrees_with_the_shared_scorer(tmp_path):
    sys.path.insert(0, str(SHARED / "eval"))
    import score as shared
    cases = [(system_of(next((SHARED / "corpus").glob(g.stem + ".*"))), g)
             for g in sorted((SHARED / "eval" / "gold").glob("*.json"))]
    xianning = system_of(FIXTURES / "xianning-kjj-2024-12.txt")
    cases += [(xianning, GOLD / "xianning-kjj-2024-12.json"), (broken(xianning), GOLD / "xianning-kjj-2024-12.json")]
    for system, gold_path in cases:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        theirs, ours = shared.score(system, gold), score(system, gold)
        assert (ours.e_tp, ours.e_fp, ours.e_fn, ours.duplicates) == \
            (theirs["entity"]["tp"], theirs["entity"]["fp"], theirs["entity"]["fn"], theirs["entity"]["duplicates"])
        assert (ours.r_tp, ours.r_fp, ours.r_fn) == (theirs["relation"]["tp"], theirs["relation"]["fp"], theirs["relation"]["fn"])
