"""The merge's quick choice of a node's shown values (one name, one kind, letters that agree)
gives what the general choice gives, on real letters merged in small batches, so that hubs
come back stored in later batches. Both writers (online and bulk) share this code, so the
bulk-versus-online test cannot see a difference between the two paths; this test can."""
from __future__ import annotations

import copy
from pathlib import Path

from kg.pipeline import extract_one
from kg.store import neo4j_store
from kg.store.bulk import MemoryGraph
from kg.store.embedded import LoadResult

HERE = Path(__file__).resolve().parent
LETTERS = sorted((HERE / "genre_letters" / "corpus").glob("*.txt"))
SHOWN = ("name", "kind", "aliases", "props_json", "alts_json", "flat")


def test_the_quick_choice_is_the_general_choice(monkeypatch):
    assert len(LETTERS) >= 40
    graphs = [extract_one(p) for p in LETTERS]
    quick = neo4j_store._choose_node
    seen = {"fresh": 0, "stored": 0}
    differ = []

    def both(row, stored):
        general = copy.deepcopy(row)
        quick(row, stored)
        neo4j_store._choose_general(general, stored)
        seen["stored" if stored else "fresh"] += 1
        if any(row[k] != general[k] for k in SHOWN):
            differ.append({k: (row[k], general[k]) for k in SHOWN if row[k] != general[k]})

    monkeypatch.setattr(neo4j_store, "_choose_node", both)
    for batch in (5, 40):
        MemoryGraph().load(graphs, LoadResult(), batch)
    assert seen["fresh"] > 1000 and seen["stored"] > 100     # both kinds of rows were compared
    assert not differ, differ[:3]


def test_stored_joinable_aliases_are_those_resolution_works_out(monkeypatch):
    """The bulk merge reads a stored node's joinable aliases off its alias_text; on real letters
    merged in small batches they are what joinable_aliases gives, and a node with a bar in an
    alias (which alias_text cannot tell apart) has them worked out instead."""
    from kg.resolve import NO_ALIAS_JOIN, joinable_aliases
    from kg.store import bulk
    graphs = [extract_one(p) for p in LETTERS]
    made, checked = bulk._stored, []

    def check(key, n):
        s = made(key, n)
        label = next(lb for (lb, k), v in g.nodes.items() if k == key and v is n)
        # labels joined by key only keep no alias_text: the index never reads their aliases
        if s["joinable"] is not None and label not in NO_ALIAS_JOIN:
            checked.append((s["joinable"], joinable_aliases(s["name"], s["aliases"])))
        return s

    monkeypatch.setattr(bulk, "_stored", check)
    g = MemoryGraph()
    g.load(graphs, LoadResult(), 5)
    assert len(checked) > 100
    differ = [c for c in checked if c[0] != c[1]]
    assert not differ, differ[:3]
    assert sum(1 for c in checked if c[0]) > 20          # nodes with joinable aliases were among them
    n = {"name": "甲乙丙丁研究院", "aliases": ["甲乙｜丙丁研究院"], "alias_text": "|甲乙|丙丁研究院|"}
    assert made("甲乙丙丁研究院", n)["joinable"] is None
