"""The synthetic corpus of benchmarks/: deterministic, gold in the shared format, and a
large extra test of extraction (letters of every province and city in the naming data)."""
import json
import sys

from conftest import ROOT
from kg.evaluate import evaluate

sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402


def test_letter_i_depends_only_on_seed_and_i():
    a = synthetic.letter(41, seed=3)
    assert synthetic.letter(41, seed=3) == a
    assert synthetic.letter(41, seed=4)[1] != a[1]
    assert synthetic.letter(42, seed=3)[1] != a[1]


def test_gold_is_in_the_shared_format(tmp_path):
    synthetic.write_corpus(tmp_path, 3)
    gold = json.loads((tmp_path / "gold" / "synthetic-000001.json").read_text(encoding="utf-8"))
    assert gold["document"] == "synthetic-000001.txt" and gold["schema_version"] == 1
    ids = {e["id"] for e in gold["entities"]}
    assert all(r["source"] in ids and r["target"] in ids for r in gold["relationships"])
    assert all(i["subject"] in ids for i in gold["indicators"])
    assert {"Agency", "Proposal", "Document", "Person"} <= {e["label"] for e in gold["entities"]}


def test_extraction_scores_well_on_unseen_synthetic_letters(tmp_path):
    # seed 7 is not the seed the generator was developed against
    corpus = synthetic.write_corpus(tmp_path, 80, seed=7)
    total = evaluate(corpus, tmp_path / "gold", out=lambda *_: None)
    assert total.entity[2] >= 0.98, total.entity
    assert total.relation[2] >= 0.98, total.relation
    assert total.indicator_recall >= 0.95
    assert total.duplicates <= 2
