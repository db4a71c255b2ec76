"""Cross-document resolution: one body named differently in two documents is one node.

A document's node joins a stored node with the same label when
  1. their keys agree (for most labels the key is the normalized canonical name), or
  2. its canonical name is a *joinable* alias of exactly one stored node, or one of its
     joinable aliases is the canonical name of exactly one stored node.
Two aliases alone never join two nodes, and a form that points at two stored nodes is
ambiguous and joins neither. An alias is joinable when it is specific (not a relative short
form such as 省科技厅, 市发改委, 我局, which names different bodies in different letters) and is
not its own name with the place taken off: “新材料揭榜挂帅”专项 is what 河南“新材料揭榜挂帅”专项
is called inside a Henan letter, and joining through it would merge every province's
programme of that name.

When the letters that support a node disagree, the store keeps a deterministic choice that
does not depend on the order the letters were loaded in (`choose_name`, `choose_value`)."""
from __future__ import annotations

import re
from functools import lru_cache

import orjson

from kg.records import norm

RELATIVE = re.compile(r"^(省|市|县|区|我|本|该|全省|全市|国家)")
NO_ALIAS_JOIN = {"Indicator", "Document", "Place", "Proposal"}   # joined by their key only


@lru_cache(maxsize=1 << 17)     # a merge asks of the same few hundred thousand forms again and again
def specific_form(form: str) -> str | None:
    """The normalized form of a specific alias, None for one that is not specific."""
    n = norm(form)
    return n if len(n) >= 4 and not RELATIVE.match(n) and not re.fullmatch(r"[\W\d]+", n) else None


@lru_cache(maxsize=1)
def _place_forms() -> frozenset[str]:
    """Every surface form of a province or city the naming data knows (吉林, 吉林省, 临沧, 临沧市…)."""
    from kg.extract.names import gazetteer
    return frozenset(norm(p) for p in gazetteer().places)


@lru_cache(maxsize=1 << 17)
def place_relative(form: str, name: str) -> bool:
    """True when `form` is `name` without its leading place: 新材料揭榜挂帅专项 of 河南新材料揭榜挂帅专项."""
    f, n = norm(form), norm(name)
    return n != f and n.endswith(f) and n[:len(n) - len(f)] in _place_forms()


def joinable_aliases(name: str, aliases) -> list[str]:
    """The normalized aliases a node may be found by from another letter (sorted)."""
    n = norm(name)
    out = set()
    for a in aliases:
        f = specific_form(a)
        if f is not None and f != n and not place_relative(a, name):
            out.add(f)
    return sorted(out)


def name_order(name: str) -> tuple:
    """Sort key of the canonical-name choice: the longest form first, then code-point order."""
    return (-len(name), name)


def choose_name(names) -> str:
    """The canonical name of a node its letters name differently: longest, then first in code-point order."""
    return min(names, key=name_order)


def encode(value) -> str:
    """A value's canonical JSON text, keys sorted (what the stores compare and choose by)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def choose_value(encoded) -> str:
    """Of the (JSON-encoded) values letters state for one property, the one the node carries:
    the first in code-point order of the encoding. The others are kept as alternatives."""
    return min(encoded)


class AliasIndex:
    """(label, normalized form) → node ids: names and joinable aliases, for resolution
    within a batch (the Neo4j writer). Mirrors the embedded store's rules."""

    def __init__(self):
        self._names: dict[tuple[str, str], set[str]] = {}
        self._aliases: dict[tuple[str, str], set[str]] = {}

    def add(self, label: str, node_id: str, name: str, aliases, joinable: list[str] | None = None) -> None:
        """`joinable`: joinable_aliases(name, aliases), when the caller has it already."""
        if label in NO_ALIAS_JOIN:
            return       # joined by their key only
        self._names.setdefault((label, norm(name)), set()).add(node_id)
        for a in joinable_aliases(name, aliases) if joinable is None else joinable:
            self._aliases.setdefault((label, a), set()).add(node_id)

    def add_aliases(self, label: str, node_id: str, forms, name: str = "") -> None:
        """Forms a node gained by merging (name: the form the merged letter called it)."""
        if label in NO_ALIAS_JOIN:
            return
        if name:
            self._names.setdefault((label, norm(name)), set()).add(node_id)
        for a in joinable_aliases(name, forms):
            self._aliases.setdefault((label, a), set()).add(node_id)

    def remove(self, label: str, node_id: str, forms) -> None:
        for f in forms:
            for ix in (self._names, self._aliases):
                ix.get((label, norm(f)), set()).discard(node_id)

    def find(self, label: str, node_id: str, name: str, aliases, joinable: list[str] | None = None) -> str | None:
        """The stored node a new node is, if any (the caller has tried its own key first)."""
        if label in NO_ALIAS_JOIN:
            return None
        n = norm(name)
        hit = self._names.get((label, n))
        if hit and len(hit) == 1:
            return next(iter(hit))
        cands = set(self._aliases.get((label, n), ()))
        for a in joinable_aliases(name, aliases) if joinable is None else joinable:
            cands |= self._names.get((label, a), set())
        return next(iter(cands)) if len(cands) == 1 else None


def find_nodes(g, name: str) -> list[str]:
    """Ids of the nodes of graph `g` called `name`: by canonical name, else by alias."""
    n = norm(name)
    exact = [v for v, d in g.nodes(data=True) if norm(d["name"]) == n]
    return exact or [v for v, d in g.nodes(data=True) if any(norm(a) == n for a in d.get("aliases", []))]
