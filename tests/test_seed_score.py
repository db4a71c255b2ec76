"""The seed and the shared corpus scored with ../shared/eval/score.py (skipped in a clone without ../shared)."""
import json
import subprocess
import sys

import pytest

from conftest import SEED, SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="no ../shared/eval here")


def score(doc, gold, tmp_path):
    out = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(doc), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    sysf = tmp_path / "system.json"
    sysf.write_text(out, encoding="utf-8")
    res = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(sysf), str(gold), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(res[: res.rindex("}") + 1])


def test_seed_meets_the_foundation_targets(tmp_path):
    r = score(SEED, SHARED / "eval" / "gold" / "jilin-kjt-2022-L37.json", tmp_path)
    assert r["entity"]["f1"] >= 0.95
    assert r["relation"]["f1"] >= 0.90
    assert r["entity"]["canonical_name_accuracy"] >= 0.90
    assert r["entity"]["duplicates"] == 0


FLOOR = {"entity_f1": 0.97, "relation_f1": 0.97, "duplicates": 0}


def test_shared_corpus_micro_average(tmp_path):
    tp = fp = fn = rtp = rfp = rfn = dup = 0
    for gold in sorted((SHARED / "eval" / "gold").glob("*.json")):
        docs = list((SHARED / "corpus").glob(gold.stem + ".*"))
        if not docs:
            continue
        r = score(docs[0], gold, tmp_path)
        e, rel = r["entity"], r["relation"]
        tp, fp, fn = tp + e["tp"], fp + e["fp"], fn + e["fn"]
        rtp, rfp, rfn = rtp + rel["tp"], rfp + rel["fp"], rfn + rel["fn"]
        dup += e["duplicates"]
    f1 = lambda t, p, n: 2 * t / (2 * t + p + n) if t else 0.0
    # A floor that only moves up: the figures reached so far on all shared letters (issue 12
    # aims at 0.90 / 0.80 and no duplicates).
    assert f1(tp, fp, fn) >= FLOOR["entity_f1"]
    assert f1(rtp, rfp, rfn) >= FLOOR["relation_f1"]
    assert dup <= FLOOR["duplicates"]
