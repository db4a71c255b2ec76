"""Extraction: one reply document → the graph of facts it supports (a DocGraph).

A list of named stages over one document record (see kg/extract/pipeline.py): structure →
context → mentions → resolution → frame → relations → indicators. All rules are general;
names and trigger words come from kg/data."""
from kg.extract.pipeline import STAGES, extract

__all__ = ["STAGES", "extract"]
