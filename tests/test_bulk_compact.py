"""The bulk merge keeps a relationship that one batch made without properties as two tuples
(kg.store.bulk._compact_rel) and writes it by a path of its own. Its importer files must be the
ones the dict it stands for gives, also where the writer does more than join the values (no
evidence, an empty sentence, an element holding the array delimiter)."""
from __future__ import annotations

import pytest

from kg.store.bulk import MemoryGraph, _compact_rel, _rel_dict
from kg.store.bulk_csv import ARRAY_DELIMITER, CsvValueError, ImportCsvWriter
from kg.store.neo4j_store import _rel_props

ROWS = {
    "one sentence": (["d1"], [("d1", 3, 9, "甲方与乙方签署协议。")]),
    "several": (["d1", "d2"], [("d1", 3, 9, "甲。"), ("d2", 120, 131, "乙。"), ("d2", 140, 151, "乙。")]),
    "no evidence": (["d1"], []),
    "an empty sentence": (["d1"], [("d1", 0, 0, "")]),
    "an empty sentence among others": (["d1", "d2"], [("d1", 1, 2, "甲。"), ("d2", 0, 0, "")]),
}


def _row(docs, evidence) -> dict:
    cols = [list(c) for c in zip(*evidence)] if evidence else [[], [], [], []]
    return {"docs": list(docs), "claims": [], "evidence_docs": cols[0], "evidence_starts": cols[1],
            "evidence_ends": cols[2], "evidence_sentences": cols[3]}


def _files(tmp_path, name: str, rels: dict):
    g = MemoryGraph()
    g.rels = rels
    with ImportCsvWriter(tmp_path / name) as w:
        g._write_relationships(w)
    out = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
    return out, w.files


def test_compact_relationships_write_the_files_their_dicts_write(tmp_path):
    keys = {case: ("MEMBER_OF", "Institution", f"i{i}", "Institution", "alliance") for i, case in enumerate(ROWS)}
    as_dicts = {keys[c]: _rel_props(_row(*r)) for c, r in ROWS.items()}
    compact = {keys[c]: _compact_rel(_row(*r)) for c, r in ROWS.items()}
    assert all(type(v) is tuple for v in compact.values())
    assert {k: _rel_dict(v) for k, v in compact.items()} == as_dicts
    want, want_files = _files(tmp_path, "dicts", as_dicts)
    got, got_files = _files(tmp_path, "compact", compact)
    assert got == want
    # the lists the importer cannot hold are noted alike (set after the import)
    assert got_files.empty_lists == want_files.empty_lists and got_files.empty_lists
    assert got_files.fixups == want_files.fixups and got_files.fixups


def test_a_compact_relationship_with_the_array_delimiter_is_refused(tmp_path):
    bad = {("MEMBER_OF", "Institution", "a", "Institution", "b"):
           _compact_rel(_row(["d1"], [("d1", 0, 2, f"甲{ARRAY_DELIMITER}乙")]))}
    with pytest.raises(CsvValueError):
        _files(tmp_path, "bad", bad)


@pytest.mark.parametrize("items", [["f\t甲", "n\t甲", "k\tdepartment"], ["f\t甲", "f\t乙\0丙"], ["n\t"]])
def test_a_packed_tally_reads_back_as_its_items(items):
    """The merge holds a node's tally items as one string; they read back as the same list,
    and an item holding the separator keeps the list as it is."""
    from kg.store.bulk import _pack_tally, _tally_items
    n = {"tally_items": list(items)}
    _pack_tally(n)
    assert type(n["tally_items"]) is (list if any("\0" in i for i in items) else str)
    assert _tally_items(n) == items
