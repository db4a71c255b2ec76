"""Named queries (queries/NAME.cypher and its SPARQL twin queries/NAME.rq) and ad-hoc
Cypher or SPARQL, read-only, with parameters always sent as parameters."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal

from kg import query_guard


class QueryError(ValueError):
    pass


def queries_dir() -> Path:
    env = os.environ.get("KG_QUERIES_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    return here.parent / "queries"


@dataclass
class NamedQuery:
    name: str
    description: str
    params: dict[str, str | None]     # name → default (None: required)
    cypher: str | None
    sparql: str | None

    def bind(self, given: dict[str, str]) -> dict[str, str]:
        unknown = set(given) - set(self.params)
        if unknown:
            raise QueryError(f"{self.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                             f"it takes {', '.join(self.params) or 'none'}")
        out = {}
        for k, default in self.params.items():
            if k in given:
                out[k] = clean_param(given[k])
            elif default is not None:
                out[k] = default
            else:
                raise QueryError(f"{self.name}: missing --param {k}=…")
        return out


def clean_param(v: str) -> str:
    """Names as users type them: 《title》 and surrounding spaces are not part of a name."""
    return v.strip().strip("《》").strip()


def _header(text: str, mark: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        m = re.match(rf"^\s*{re.escape(mark)}\s*(name|description|params)\s*:\s*(.*)$", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.strip().startswith(mark):
            break
    return out


def _params(spec: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        k, eq, v = part.partition("=")
        out[k.strip()] = v.strip() if eq else None
    return out


def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    folder = folder or queries_dir()
    found: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.cypher")) + sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        h = _header(text, "//" if path.suffix == ".cypher" else "#")
        name = h.get("name") or path.stem
        q = found.setdefault(name, NamedQuery(name, h.get("description", ""), _params(h.get("params", "")), None, None))
        if path.suffix == ".cypher":
            q.cypher = text
        else:
            q.sparql = text
            if q.params != _params(h.get("params", "")):
                raise QueryError(f"{path}: parameters differ from its Cypher twin's")
    return found


# -- read-only guards (kg/query_guard.py: decided by Neo4j and by rdflib's parser) ----------------

def check_read_only_sparql(text: str) -> None:
    try:
        query_guard.check_read_only_sparql(text)
    except query_guard.GuardError as e:
        raise QueryError(str(e)) from None


# -- running -----------------------------------------------------------------------------

def run_cypher(store, text: str, params: dict) -> tuple[list[str], list[list]]:
    """Run read-only Cypher: Neo4j first plans it (EXPLAIN) in a READ session, and only a
    plain read of the graph then runs, in that same READ session."""
    with store.session(write=False) as s:
        try:
            query_guard.check_read_only_cypher(s, text, params)
        except query_guard.GuardError as e:
            raise QueryError(str(e)) from None
        result = s.run(text, params)
        cols = list(result.keys())
        rows = [[rec[c] for c in cols] for rec in result]
    return cols, rows


def run_sparql(graph, text: str, params: dict) -> tuple[list[str], list[list]]:
    check_read_only_sparql(text)
    bindings = {k: Literal(v) for k, v in params.items()}
    res = graph.query(text, initBindings=bindings)
    cols = [str(v) for v in res.vars]
    rows = [[_py(row[i]) for i in range(len(cols))] for row in res]
    return cols, rows


def _py(v):
    if v is None:
        return None
    p = v.toPython() if hasattr(v, "toPython") else v
    if isinstance(p, float) and p.is_integer():
        return int(p)
    return p if isinstance(p, (int, float, str)) else str(p)


def format_rows(cols: list[str], rows: list[list], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows(["" if v is None else v for v in r] for r in rows)
        return buf.getvalue().rstrip("\n")
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    width = lambda s: sum(2 if ord(ch) > 0x2e80 else 1 for ch in s)   # CJK takes two columns
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    pad = lambda s, w: s + " " * (w - width(s))
    lines = ["  ".join(pad(c, widths[i]) for i, c in enumerate(cols)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, widths[i]) for i, v in enumerate(r)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
