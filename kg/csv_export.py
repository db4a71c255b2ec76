"""Nodes and relationships as two CSV files in the header format of Neo4j's offline
importer (`neo4j-admin database import full`), which spreadsheets open as well.

    nodes.csv          id:ID, :LABEL, name, key, kind, aliases:string[], docs:string[], documents:long, …properties
    relationships.csv  :START_ID, :END_ID, :TYPE, weight:long, docs:string[], evidence:string[], …properties

Files are UTF-8 with a byte-order mark (Excel on a Chinese Windows reads them as UTF-8,
not as GBK; Neo4j's importer skips it). Lists are joined by ARRAY_DELIMITER ("|", a
"|" inside an item becomes "｜"), the importer's `--array-delimiter`. Property columns
are typed from the schema (`value:double`); dates whose day is known go to a
`NAME:date` column (Neo4j `date`), and every date is kept as written in `NAME_text`,
since a month alone ("2023-05") is not a day. `weight` is the number of supporting
documents. Rows are written a node or a relationship at a time: memory does not grow
with the graph beyond the graph itself."""
from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx

from kg.schema import load_schema

ARRAY_DELIMITER = "|"
NODES, RELATIONSHIPS = "nodes.csv", "relationships.csv"
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_KEYS = {"date", "submitted"}           # properties holding a date, as YYYY-MM-DD, YYYY-MM or YYYY
SKIP = {"content_hash"}                     # bookkeeping, not a fact
NEO4J_TYPES = {"string": "string", "float": "double", "int": "long", "boolean": "boolean",
               "string[]": "string[]", "date": "date"}


def _list(items: Iterable) -> str:
    return ARRAY_DELIMITER.join(str(x).replace(ARRAY_DELIMITER, "｜") for x in items)


def _columns(specs: Iterable[dict], seen: Iterable[tuple[str, object]]) -> list[tuple[str, str]]:
    """(property, Neo4j type) for every property the schema declares or the graph holds."""
    cols: dict[str, str] = {}
    for spec in specs:
        for k, t in spec.get("properties", {}).items():
            cols.setdefault(k, NEO4J_TYPES.get(t, "string"))
    for k, v in seen:
        if k not in cols:
            cols[k] = ("string[]" if isinstance(v, list) else "double" if isinstance(v, float)
                       else "long" if isinstance(v, int) and not isinstance(v, bool) else "string")
    out = []
    for k, t in cols.items():
        if k in SKIP:
            continue
        if k in DATE_KEYS:
            out += [(k, "date"), (f"{k}_text", "string")]
        else:
            out.append((k, t))
    return out


def _header(fixed: list[str], cols: list[tuple[str, str]]) -> list[str]:
    return fixed + [k if t == "string" else f"{k}:{t}" for k, t in cols]


def _cells(props: dict, cols: list[tuple[str, str]]) -> list:
    out = []
    for k, t in cols:
        if t == "date":
            v = props.get(k)
            out.append(v if isinstance(v, str) and FULL_DATE.match(v) else "")
        elif k.endswith("_text") and k[:-5] in DATE_KEYS:
            out.append(props.get(k[:-5], ""))
        else:
            v = props.get(k, "")
            out.append(_list(v) if isinstance(v, list) else v)
    return out


def node_header(g: nx.MultiDiGraph) -> tuple[list[str], list[tuple[str, str]]]:
    schema = load_schema()
    cols = _columns(schema.labels.values(), ((k, v) for _, d in g.nodes(data=True)
                                             for k, v in d.get("properties", {}).items()))
    return _header(["id:ID", ":LABEL", "name", "key", "kind", "aliases:string[]", "docs:string[]", "documents:long"],
                   cols), cols


def node_rows(g: nx.MultiDiGraph, cols) -> Iterator[list]:
    for nid, d in g.nodes(data=True):
        docs = d.get("docs", [])
        yield [nid, d["label"], d["name"], d.get("key", ""), d.get("kind") or "", _list(d.get("aliases", [])),
               _list(docs), len(docs), *_cells(d.get("properties", {}), cols)]


def relationship_header(g: nx.MultiDiGraph) -> tuple[list[str], list[tuple[str, str]]]:
    schema = load_schema()
    cols = _columns(schema.relationships.values(), ((k, v) for *_, d in g.edges(data=True)
                                                    for k, v in d.get("properties", {}).items()))
    return _header([":START_ID", ":END_ID", ":TYPE", "weight:long", "docs:string[]", "evidence:string[]"], cols), cols


def _sentence(e) -> str:
    return e["sentence"] if isinstance(e, dict) else e.sentence


def relationship_rows(g: nx.MultiDiGraph, cols) -> Iterator[list]:
    for u, v, k, d in g.edges(keys=True, data=True):
        docs = d.get("docs", [])
        sentences = list(dict.fromkeys(_sentence(e) for e in d.get("evidence", [])))
        yield [u, v, k, d.get("weight", len(docs)), _list(docs), _list(sentences),
               *_cells(d.get("properties", {}), cols)]


def _write(path: Path, header: list[str], rows: Iterable[list]) -> int:
    """One file, whole or not at all: written beside its name, then renamed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            for r in rows:
                w.writerow(r)
                n += 1
        from kg.export import _umask
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def write_csv(g: nx.MultiDiGraph, folder: Path) -> tuple[Path, Path]:
    """nodes.csv and relationships.csv in `folder` (created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nh, ncols = node_header(g)
    rh, rcols = relationship_header(g)
    nodes, rels = folder / NODES, folder / RELATIONSHIPS
    _write(nodes, nh, node_rows(g, ncols))
    _write(rels, rh, relationship_rows(g, rcols))
    return nodes, rels


def import_command(folder: Path, database: str = "neo4j") -> list[str]:
    """The arguments of Neo4j's offline importer for these files (after the launcher)."""
    folder = Path(folder)
    return ["database", "import", "full", f"--nodes={folder / NODES}", f"--relationships={folder / RELATIONSHIPS}",
            f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true", "--overwrite-destination=true", database]
