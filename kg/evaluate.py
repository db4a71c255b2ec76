"""Score extraction against gold graphs (the annotation rules of the gold files:
names match after normalization, on the canonical name or any alias; optional
items neither reward nor cost; Place and Indicator nodes that match nothing are
free; COOPERATES_WITH matches in either direction; relationship types are scored
only where the gold uses them)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.records import norm

SYMMETRIC = {"COOPERATES_WITH"}
FREE_WHEN_UNMATCHED = {"Place", "Indicator"}


@dataclass
class Score:
    e_tp: int = 0
    e_fp: int = 0
    e_fn: int = 0
    r_tp: int = 0
    r_fp: int = 0
    r_fn: int = 0
    duplicates: int = 0
    canonical_ok: int = 0
    i_found: int = 0
    i_wanted: int = 0
    misses: list[str] = field(default_factory=list)

    def __iadd__(self, o: "Score") -> "Score":
        for k in ("e_tp", "e_fp", "e_fn", "r_tp", "r_fp", "r_fn", "duplicates", "canonical_ok", "i_found", "i_wanted"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        return self

    @staticmethod
    def _f1(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def entity(self):
        return self._f1(self.e_tp, self.e_fp, self.e_fn)

    @property
    def relation(self):
        return self._f1(self.r_tp, self.r_fp, self.r_fn)

    @property
    def canonical(self) -> float:
        return self.canonical_ok / self.e_tp if self.e_tp else 0.0

    @property
    def indicator_recall(self) -> float:
        return self.i_found / self.i_wanted if self.i_wanted else 1.0


def _key(t, s, o):
    return (t, *sorted((s, o))) if t in SYMMETRIC else (t, s, o)


def score(system: dict, gold: dict) -> Score:
    sc = Score()
    index: dict[str, str] = {}
    for e in gold["entities"]:
        for a in e.get("aliases", []):
            index.setdefault(norm(a), e["id"])
    for e in gold["entities"]:
        index[norm(e["name"])] = e["id"]
    by_id = {e["id"]: e for e in gold["entities"]}
    node_to_gold, seen = {}, set()
    for n in system.get("nodes", []):
        gid = next((index[norm(f)] for f in [n.get("name", ""), *n.get("aliases", [])] if norm(f) in index), None)
        if gid is None:
            if n.get("label") not in FREE_WHEN_UNMATCHED:
                sc.e_fp += 1
                sc.misses.append(f"false entity: {n.get('label')}:{n.get('name')}")
            continue
        node_to_gold[n["id"]] = gid
        if gid in seen:
            sc.duplicates += 1
            if by_id[gid]["required"]:
                sc.e_fp += 1
            sc.misses.append(f"duplicate: {n.get('name')} -> {by_id[gid]['name']}")
            continue
        seen.add(gid)
        if by_id[gid]["required"]:
            sc.e_tp += 1
            sc.canonical_ok += norm(n.get("name", "")) == norm(by_id[gid]["name"])
    for e in gold["entities"]:
        if e["required"] and e["id"] not in seen:
            sc.e_fn += 1
            sc.misses.append(f"missed entity: {e['label']}:{e['name']}")
    types = {r["type"] for r in gold["relationships"]}
    required = {_key(r["type"], r["source"], r["target"]) for r in gold["relationships"] if r["required"]}
    optional = {_key(r["type"], r["source"], r["target"]) for r in gold["relationships"] if not r["required"]}
    found, false = set(), set()
    for r in system.get("relationships", []):
        if r.get("type") not in types:
            continue
        k = _key(r["type"], node_to_gold.get(r["source"], "?" + r["source"]), node_to_gold.get(r["target"], "?" + r["target"]))
        if k in required:
            found.add(k)
        elif k not in optional:
            false.add(k)
    sc.r_tp, sc.r_fp, sc.r_fn = len(found), len(false), len(required - found)
    name = lambda x: by_id[x]["name"] if x in by_id else x.lstrip("?")
    sc.misses += [f"missed relationship: {t} {name(s)} -> {name(o)}" for t, s, o in sorted(required - found)]
    sc.misses += [f"false relationship: {t} {name(s)} -> {name(o)}" for t, s, o in sorted(false)]
    nodes = {n["id"]: n for n in system.get("nodes", [])}
    values: dict[str, set] = {}
    for r in system.get("relationships", []):
        t = nodes.get(r["target"])
        if t and t.get("label") == "Indicator":
            try:
                values.setdefault(node_to_gold.get(r["source"], "?"), set()).add(float(t["properties"]["value"]))
            except (KeyError, TypeError, ValueError):
                pass
    for i in gold.get("indicators", []):
        if i["required"]:
            sc.i_wanted += 1
            sc.i_found += float(i["value"]) in values.get(i["subject"], set())
    return sc


def evaluate(docs: Path, gold_dir: Path, verbose: bool = False, out=print) -> Score:
    """Score every document of `docs` that has a gold file NAME.json in `gold_dir`."""
    from kg.pipeline import extract_one
    total = Score()
    docs_by_stem = {p.stem: p for p in sorted(Path(docs).iterdir()) if p.is_file()}
    rows = 0
    for gold_path in sorted(Path(gold_dir).glob("*.json")):
        doc = docs_by_stem.get(gold_path.stem)
        if doc is None:
            continue
        d = extract_one(doc).as_dict()
        system = {"nodes": d["nodes"], "relationships": d["relationships"]}
        sc = score(system, json.loads(gold_path.read_text(encoding="utf-8")))
        total += sc
        rows += 1
        out(f"{gold_path.stem:<40} entity F1 {sc.entity[2]:.3f}  relation F1 {sc.relation[2]:.3f}  "
            f"canonical {sc.canonical:.2f}  duplicates {sc.duplicates}  indicators {sc.indicator_recall:.2f}")
        if verbose:
            for line in sc.misses:
                out(f"    {line}")
    ep, er, ef = total.entity
    rp, rr, rf = total.relation
    out(f"{'micro-average of ' + str(rows) + ' documents':<40} entity P {ep:.3f} R {er:.3f} F1 {ef:.3f}  "
        f"relation P {rp:.3f} R {rr:.3f} F1 {rf:.3f}  canonical {total.canonical:.3f}  "
        f"duplicates {total.duplicates}  indicators {total.indicator_recall:.3f}")
    return total
