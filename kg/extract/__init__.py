"""Extraction: one reply document → the graph of facts it supports (a DocGraph).

Stages inside: structure → context → mentions → document-level resolution →
relationships → indicators. All rules are general; names come from kg/data."""
from kg.extract.pipeline import extract

__all__ = ["extract"]
