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


def support_items(forms, said: dict | None) -> list[str]:
    """What one support link says, each item once: its forms, and the names, kinds and
    property values (encoded by kg.resolve.encode) of its `said` (each list of which holds a
    value once, and the prefixes keep the kinds of item apart)."""
    items = ["f" + SEP + f for f in forms] if forms else []
    if said is None:
        items.append(UNKNOWN)
        return items
    names, kinds, props = said.get("names"), said.get("kinds"), said.get("props")
    if names:
        items += ["n" + SEP + x for x in names]
    if kinds:
        items += ["k" + SEP + x for x in kinds]
    if props:
        for k, vs in props.items():
            items += ["p" + SEP + k + SEP + v for v in vs]
    return items


def as_counter(items, counts) -> Counter:
    return Counter(dict(zip(items or (), counts or ())))


def as_lists(tally: Counter) -> tuple[list[str], list[int]]:
    """The node's two properties: items in code-point order, each with its count (> 0)."""
    kept = sorted(k for k, n in tally.items() if n > 0)
    return kept, [tally[k] for k in kept]


def merged(stored: tuple | None, added: list[str]) -> tuple[list[str], list[int]]:
    """A stored tally (items, counts) or none, with the items of more links added."""
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
