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


class WordMatch:
    """A found word, read like a regex match (start(), end(), group(0))."""
    __slots__ = ("string", "_start", "_end")

    def __init__(self, string: str, start: int, end: int):
        self.string, self._start, self._end = string, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _i: int = 0) -> str:
        return self.string[self._start:self._end]


class Words:
    """Thousands of literal words (every division of the country) found in one pass with an
    Aho-Corasick automaton: the leftmost, longest word, then on after it, as the trie regex
    would, but in time linear in the text whatever the number of words."""

    def __init__(self, words):
        import ahocorasick_rs as ac
        self.words = sorted({w for w in words if w})
        self._set = frozenset(self.words)
        self.maxlen = max(map(len, self.words), default=0)
        self._longest = ac.AhoCorasick(self.words, matchkind=ac.MatchKind.LeftmostLongest)
        self._all = ac.AhoCorasick(self.words)    # every occurrence, nested ones too

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        sub = text[pos:endpos] if pos or endpos is not None else text
        for _i, s, e in self._longest.find_matches_as_indexes(sub):
            yield WordMatch(text, pos + s, pos + e)

    def match(self, text: str, pos: int = 0):
        """The longest word starting exactly at `pos`, or None."""
        for n in range(min(self.maxlen, len(text) - pos), 0, -1):
            if text[pos:pos + n] in self._set:
                return WordMatch(text, pos, pos + n)
        return None

    def hits(self, text: str):
        """Every occurrence, overlapping and nested, as (index in self.words, start, end)."""
        return self._all.find_matches_as_indexes(text, overlapping=True)

    def occurrences(self, text: str) -> dict[int, list[int]]:
        """Every occurrence, overlapping and nested: start → ends, longest first."""
        out: dict[int, list[int]] = {}
        for _i, s, e in self.hits(text):
            out.setdefault(s, []).append(e)
        for ends in out.values():
            ends.sort(reverse=True)
        return out
