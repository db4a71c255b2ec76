"""Alternations of many literal words as a trie-shaped regex.

Python's `re` tries the branches of A|B|C… one by one at every position; with hundreds of
place names that dominates extraction time. Factoring common prefixes (吉林省|吉林市 →
吉林(?:省|市)) lets a failing position fail after one character. Longer words still win
because every branch that can continue is tried before the one that stops."""
from __future__ import annotations

import re


def union(words) -> str:
    """A regex matching any of `words`, preferring the longest at a given position."""
    trie: dict = {}
    for w in set(words):
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie) if trie else "(?!)"


def _emit(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:   # a word may stop here: optional, and greedy so the longer word is tried first
        return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
    return body
