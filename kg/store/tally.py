"""What a node's letters say of it, counted.

Each Neo4j node keeps every name, kind, form and property value its letters give, with the
number of letters (support links) that give it: `tally_items` and `tally_counts`, two lists
of one order. Retracting a letter subtracts what its own support link says and chooses the
node's values again from what is left, so it reads only that letter's links: a body named by
30,000 letters is not read 30,000 times over at each retraction (kg remove took 45 s cold on a
100,000-letter graph while it did). Counts, not lists: the same letters in any order give the
same tally, and loading is an addition.
"""
from __future__ import annotations

from collections import Counter

SEP = "\t"
# a support link written without what its letter said (bulk loads before said was kept):
# while one is left, a retraction cannot tell the node's name, kind and properties apart,
# and leaves them as they are
UNKNOWN = "?"


def support_items(forms, said: dict | None) -> set[str]:
    """What one support link says: its forms, and the names, kinds and property values
    (encoded by kg.resolve.encode) of its `said`."""
    items = {"f" + SEP + f for f in forms or ()}
    if said is None:
        items.add(UNKNOWN)
        return items
    items.update("n" + SEP + x for x in said.get("names", ()))
    items.update("k" + SEP + x for x in said.get("kinds", ()))
    for k, vs in said.get("props", {}).items():
        items.update("p" + SEP + k + SEP + v for v in vs)
    return items


def as_counter(items, counts) -> Counter:
    return Counter(dict(zip(items or (), counts or ())))


def as_lists(tally: Counter) -> tuple[list[str], list[int]]:
    """The node's two properties: items in code-point order, each with its count (> 0)."""
    kept = sorted(k for k, n in tally.items() if n > 0)
    return kept, [tally[k] for k in kept]


def merged(stored: tuple | None, added: Counter) -> tuple[list[str], list[int]]:
    tally = as_counter(*stored) if stored else Counter()
    tally.update(added)
    return as_lists(tally)


def contents(tally: Counter) -> tuple[set, set, dict, set, bool]:
    """(names, kinds, {property: encoded values}, forms, unknown) of the items counted > 0."""
    names, kinds, forms, claims = set(), set(), set(), {}
    unknown = False
    for item, n in tally.items():
        if n <= 0:
            continue
        if item == UNKNOWN:
            unknown = True
            continue
        kind, _, rest = item.partition(SEP)
        if kind == "f":
            forms.add(rest)
        elif kind == "n":
            names.add(rest)
        elif kind == "k":
            kinds.add(rest)
        elif kind == "p":
            k, _, v = rest.partition(SEP)
            claims.setdefault(k, set()).add(v)
    return names, kinds, claims, forms, unknown
