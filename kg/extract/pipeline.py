"""The extraction pipeline for one letter: a list of named stages over one document record.

Each stage is a module that reads and writes declared fields of `Doc` (kg/extract/document.py):

    structure    structure.py   title, number, proposal, proposer, signature, sentences, parts
    context      context.py     province, city, county, national or not, the replying body
    mentions     recognize.py   every name and its canonical form (recognizers in mentions.py, names.py)
    resolution   resolution.py  one entity per thing the letter names
    frame        frame.py       the reply, the replier, the proposal and its proposers
    relations    relations.py   relationships from sentence patterns
    indicators   indicators.py  reported figures on their subjects

A new kind of body is data (kg/data/bodies.toml); a new trigger or shape is data where it is a
word (kg/data/lexicon.toml) and a small rule in the stage it belongs to."""
from __future__ import annotations

import time

from kg.extract import indicators, relations
from kg.extract.context import find_context
from kg.extract.document import Doc
from kg.extract.frame import document_facts
from kg.extract.names import gazetteer
from kg.extract.recognize import recognize
from kg.extract.resolution import resolve
from kg.extract.structure import parse
from kg.records import DocGraph, RawDocument


def _structure(doc: Doc) -> None:
    doc.st = parse(doc.raw.text)


def _context(doc: Doc) -> None:
    doc.ctx = find_context(doc.st, gazetteer())


STAGES = (
    ("structure", _structure),
    ("context", _context),
    ("mentions", recognize),
    ("resolution", resolve),
    ("frame", document_facts),
    ("relations", relations.extract_relations),
    ("indicators", indicators.extract_indicators),
)


def extract(raw: RawDocument, timings: dict | None = None) -> DocGraph:
    """The graph of facts one letter supports. With `timings`, each stage's seconds are added to it."""
    doc = Doc(raw, DocGraph(raw.doc_id, raw.content_hash))
    for name, stage in STAGES:
        t = time.perf_counter() if timings is not None else 0.0
        stage(doc)
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
    for n in doc.entities.values():
        doc.graph.nodes[n.id] = n
    return doc.graph
