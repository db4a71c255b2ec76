"""The graph's schema, read from schema/schema.toml (the single source of truth)."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def schema_dir() -> Path:
    env = os.environ.get("KG_SCHEMA_DIR")
    if env:
        return Path(env)
    from kg.resources import resource_dir
    return resource_dir("schema")


@dataclass(frozen=True)
class Schema:
    version: int
    namespace: str
    labels: dict          # label -> {zh, en, colour, description, properties}
    relationships: dict   # type -> {zh, from, to, properties, colour, symmetric}
    common_node_properties: dict
    lookup_label: str = "Entity"
    support_type: str = "SUPPORTED_BY"
    # derived relationships the stores keep from the facts (CO_ISSUED):
    # type -> {zh, en, description, from, to, symmetric, via, through, properties, colour}
    derived: dict = field(default_factory=dict)

    def colour(self, label_or_type: str) -> str:
        spec = (self.labels.get(label_or_type) or self.relationships.get(label_or_type)
                or self.derived.get(label_or_type) or {})
        return spec.get("colour", "#999999")

    def is_symmetric(self, rtype: str) -> bool:
        return bool((self.relationships.get(rtype) or self.derived.get(rtype) or {}).get("symmetric"))

    def check_relationship(self, rtype: str, source_label: str, target_label: str) -> bool:
        spec = self.relationships.get(rtype)
        return bool(spec) and source_label in spec["from"] and target_label in spec["to"]


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    with open(schema_dir() / "schema.toml", "rb") as f:
        raw = tomllib.load(f)
    return Schema(version=raw["version"], namespace=raw["namespace"], labels=raw["labels"],
                  relationships=raw["relationships"], common_node_properties=raw["common_node_properties"],
                  lookup_label=raw.get("lookup_label", "Entity"),
                  support_type=raw.get("support_type", "SUPPORTED_BY"), derived=raw.get("derived", {}))
