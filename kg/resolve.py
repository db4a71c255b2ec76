"""Cross-document resolution: one body named differently in two documents is one node.

A document's node joins a stored node with the same label when their canonical
names agree, or when one's canonical name is a *specific* alias of the other.
Relative short forms (省科技厅, 市发改委, 我局) are never used to join: they name
different bodies in different letters."""
from __future__ import annotations

import re

from kg.records import norm

RELATIVE = re.compile(r"^(省|市|县|区|我|本|该|全省|全市|国家)")
NO_ALIAS_JOIN = {"Indicator", "Document", "Place", "Proposal"}   # joined by their key only


def specific(form: str) -> bool:
    n = norm(form)
    return len(n) >= 4 and not RELATIVE.match(n) and not re.fullmatch(r"[\W\d]+", n)


class AliasIndex:
    """(label, normalized form) → node id, for canonical names and specific aliases."""

    def __init__(self):
        self._ix: dict[tuple[str, str], str] = {}

    def add(self, label: str, node_id: str, name: str, aliases) -> None:
        if label in NO_ALIAS_JOIN:
            return       # joined by their key only
        self._ix[(label, norm(name))] = node_id
        for a in aliases:
            if specific(a):
                self._ix.setdefault((label, norm(a)), node_id)

    def add_aliases(self, label: str, node_id: str, forms) -> None:
        """Forms a node gained by merging: they find it too, unless another node has them."""
        if label in NO_ALIAS_JOIN:
            return
        for a in forms:
            if specific(a):
                self._ix.setdefault((label, norm(a)), node_id)

    def remove(self, label: str, node_id: str, forms) -> None:
        for f in forms:
            if self._ix.get((label, norm(f))) == node_id:
                del self._ix[(label, norm(f))]

    def find(self, label: str, node_id: str, name: str, aliases) -> str | None:
        """The stored node a new node is, if any (the caller has tried its own id first)."""
        if label in NO_ALIAS_JOIN:
            return None
        hit = self._ix.get((label, norm(name)))
        if hit:
            return hit
        for a in aliases:
            if specific(a) and (hit := self._ix.get((label, norm(a)))):
                return hit
        return None


def find_nodes(g, name: str) -> list[str]:
    """Ids of the nodes of graph `g` called `name`: by canonical name, else by alias."""
    n = norm(name)
    exact = [v for v, d in g.nodes(data=True) if norm(d["name"]) == n]
    return exact or [v for v, d in g.nodes(data=True) if any(norm(a) == n for a in d.get("aliases", []))]
