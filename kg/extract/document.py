"""The document record that every extraction stage reads and writes.

Stages fill it in order (kg/extract/pipeline.py lists them): structure → context → mentions →
resolution → frame → relations → indicators. Each field says which stage writes it."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from kg.extract.context import Context
from kg.extract.mentions import Mention, Recognizer
from kg.extract.structure import Structure
from kg.records import DocGraph, Evidence, Node, RawDocument, Relationship


def _evidence(doc_id: str, a: int, b: int, sentence: str) -> Evidence:
    # Evidence(...) without its generated __new__'s argument handling: a letter makes hundreds
    return tuple.__new__(Evidence, (doc_id, a, b, sentence))


@dataclass
class Doc:
    """One letter as the stages see it."""
    raw: RawDocument
    graph: DocGraph                                            # the output: nodes and relationships
    st: Structure | None = None                                # structure: title, proposal, sentences…
    ctx: Context | None = None                                 # context: province, city, county, replier
    rec: Recognizer | None = None                              # mentions: the recognizers, with their context
    mentions: list[Mention] = field(default_factory=list)      # mentions: every entity mention, by position
    entity_of: dict[int, str] = field(default_factory=dict)    # resolution: id(mention) → entity key
    entities: dict[str, Node] = field(default_factory=dict)    # resolution (and later stages): the entities
    replier: Node | None = None                                # frame: the replying body's node
    titled_issuers: set = field(default_factory=set)           # relations: policies whose title names an issuer
    # working state of the evidence helpers below
    _starts: list | None = None                                # each sentence's start, for bisection
    _ends: dict | None = None                                  # mention_ends(), asked once the mentions are final
    _mention_starts: tuple | None = None                       # mention_starts(): (the list, its starts)
    _quoted: dict = field(default_factory=dict)                # sentence start → the sentence as published
    _seen: dict = field(default_factory=dict)                  # id(node or relationship) → its evidence, as a set

    def sentence_of(self, pos: int):
        starts = self._starts
        if starts is None:
            starts = self._starts = [s.start for s in self.st.sentences]
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < self.st.sentences[i].end:
            return self.st.sentences[i]
        return None

    def mention_starts(self) -> list[int]:
        """The mentions' starts, for bisection (the list is sorted by start; made again for a new list)."""
        if self._mention_starts is None or self._mention_starts[0] is not self.mentions \
                or len(self._mention_starts[1]) != len(self.mentions):
            self._mention_starts = (self.mentions, [m.start for m in self.mentions])
        return self._mention_starts[1]

    def paragraph_start(self, sent) -> int:
        """Where the paragraph of `sent` begins: its first sentence's start."""
        while (prev := self.sentence_before(sent)) is not None and prev.para == sent.para:
            sent = prev
        return sent.start

    def mention_ends(self) -> dict:
        """The letter's mentions by where they end (one per end: the longest), made once."""
        if self._ends is None:
            self._ends = {}
            for m in self.mentions:
                if m.end not in self._ends or m.start < self._ends[m.end].start:
                    self._ends[m.end] = m
        return self._ends

    def sentence_before(self, sent):
        """The sentence before `sent`, or None for the first."""
        if self._starts is None:
            self.sentence_of(0)
        i = bisect.bisect_left(self._starts, sent.start)
        return self.st.sentences[i - 1] if i > 0 else None

    def evidence(self, a: int, b: int) -> Evidence:
        s = self.sentence_of(a)
        if s is None:
            return _evidence(self.raw.doc_id, a, b, self.raw.published[a:b])
        # one string per sentence, however many facts quote it (smaller to pickle, store and send)
        sent = self._quoted.get(s.start)
        if sent is None:
            # quote the letter as published (traditional stays traditional)
            sent = self._quoted[s.start] = self.raw.published[s.start:s.end]
        return _evidence(self.raw.doc_id, a, b, sent)

    def node_for(self, m: Mention) -> Node:
        return self.entities[self.entity_of[id(m)]]

    def add_rel(self, rtype: str, src: Node, dst: Node, a: int, b: int, **props) -> None:
        s, d = src.id, dst.id      # (a property that formats a string: asked once)
        if s == d:
            return
        key = (rtype, s, d)
        if rtype == "COOPERATES_WITH" and (rtype, d, s) in self.graph.relationships:
            key = (rtype, d, s)
        rel = self.graph.relationships.get(key)
        if rel is None:
            rel = self.graph.relationships[key] = Relationship(rtype, key[1], key[2], {})
        for k, v in props.items():
            if v:
                rel.properties.setdefault(k, v)
        self.add_evidence(rel, a, b)

    def add_evidence(self, element, a: int, b: int) -> None:
        """Quote text[a:b] once on a node or relationship (a set beside each list: a name said a
        thousand times in a long letter must not cost a thousand comparisons each time)."""
        ev = self.evidence(a, b)
        seen = self._seen.get(id(element))
        if seen is None:
            seen = self._seen[id(element)] = set(element.evidence)
        if ev not in seen:
            seen.add(ev)
            element.evidence.append(ev)


