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
    from kg.resources import resource_dir
    return resource_dir("queries")


@dataclass
class NamedQuery:
    name: str
    description: str
    params: dict[str, str | None]     # name → default (None: required)
    cypher: str | None
    sparql: str | None

    @property
    def columns(self) -> list[str]:
        """The query's output columns: the SPARQL twin's projection, else the Cypher RETURN's names."""
        if self.sparql:
            try:
                from rdflib.plugins.sparql import prepareQuery
                return [str(v) for v in prepareQuery(self.sparql).algebra.get("PV", [])]
            except Exception:
                pass
        if self.cypher:
            body = re.sub(r"//[^\n]*", "", self.cypher)
            last = re.split(r"\bRETURN\b", body, flags=re.I)[-1]
            last = re.split(r"\b(ORDER\s+BY|LIMIT|SKIP)\b", last, flags=re.I)[0]
            return re.findall(r"\bAS\s+(\w+)", last, flags=re.I)
        return []

    def bind(self, given: dict[str, str]) -> dict[str, str]:
        """The parameters to run with: the given ones cleaned, the defaults for the rest; the paging
        parameters (PAGING) checked to be whole numbers here, before any store is opened."""
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
            if k in PAGING and not re.fullmatch(r"\d+", out[k]):
                raise QueryError(f"{self.name}: --param {k}={out[k]}: a whole number is needed, {PAGING[k]}")
        return out


# Parameters that page a named query's rows, the same in every query that takes them: the Cypher
# applies them with SKIP/LIMIT, the embedded store and the SPARQL twins (whose SKIP and LIMIT take no
# parameter) with page().
PAGING = {"skip": "the number of rows to leave out first (0: none)",
          "limit": "the most rows to give (0: all)"}


def page(rows: list, params: dict) -> list:
    """`rows` after the first `skip`, at most `limit` (0: all) of them."""
    skip, limit = int(params.get("skip", 0) or 0), int(params.get("limit", 0) or 0)
    return rows[skip: skip + limit] if limit > 0 else rows[skip:]


def page_note(nq: NamedQuery, params: dict, shown: int) -> str | None:
    """What to ask for next when a page came back full: the rows may go on."""
    limit = int(params.get("limit", 0) or 0) if "limit" in nq.params else 0
    if limit <= 0 or shown < limit:
        return None
    skip = int(params.get("skip", 0) or 0)
    more = f", --param skip={skip + shown} for the next {limit}" if "skip" in nq.params else ""
    return f"{nq.name}: rows {skip + 1}–{skip + shown} shown; --param limit=0 for all{more}"


def clean_param(v: str) -> str:
    """Names as users type them: 《title》 and surrounding spaces are not part of a name."""
    return v.strip().strip("《》").strip()


def _header(text: str, mark: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        m = re.match(rf"^\s*{re.escape(mark)}\s*(name|description|params|lists)\s*:\s*(.*)$", line)
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
    # a named query's list columns ("# lists: a, b"): GROUP_CONCAT text with "|" between names
    # (no name holds one: Neo4j's forms are joined by it), read back as the sorted list Cypher returns
    header = _header(text, "#")
    lists = [cols.index(c) for c in _params(header.get("lists", "")) if c in cols]
    for r in rows:
        for i in lists:
            r[i] = sorted(filter(None, str(r[i] or "").split("|")))
    # a named twin that takes skip or limit ("# params: …, limit=200") is paged here: SPARQL's
    # SKIP and LIMIT take no parameter (run elsewhere, the twin gives every row)
    if PAGING.keys() & _params(header.get("params", "")).keys():
        rows = page(rows, params)
    return cols, rows


def _py(v):
    if v is None:
        return None
    p = v.toPython() if hasattr(v, "toPython") else v
    if isinstance(p, float) and p.is_integer():
        return int(p)
    return p if isinstance(p, (int, float, str)) else str(p)


# -- output ------------------------------------------------------------------------------
# Values as the tools downstream want them: Neo4j nodes, relationships and paths as their
# properties (JSON objects), dates as ISO text, lists as JSON in CSV and table cells.

HIDDEN = {"forms", "alias_text"}        # Neo4j lookup helpers, not facts


def plain(v):
    """A query value as plain JSON-able data."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    from neo4j.graph import Node, Path, Relationship
    if isinstance(v, Node):
        return {"_labels": sorted(v.labels), **{k: plain(x) for k, x in v.items() if k not in HIDDEN}}
    if isinstance(v, Relationship):
        # the ends by name when the driver has their properties (in a path), else by element id
        ends = [(n.get("name") or n.element_id) if n is not None else None for n in (v.start_node, v.end_node)]
        return {"_type": v.type, "_start": ends[0], "_end": ends[1],
                **{k: plain(x) for k, x in v.items() if k not in HIDDEN}}
    if isinstance(v, Path):
        return {"nodes": [plain(n) for n in v.nodes], "relationships": [plain(r) for r in v.relationships]}
    if hasattr(v, "iso_format"):          # neo4j.time Date, DateTime, Time, Duration
        return v.iso_format()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _cell(v) -> str:
    """One value as text for a CSV or table cell: lists and objects as JSON."""
    v = plain(v)
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _display_width(s: str) -> int:
    from wcwidth import wcswidth
    w = wcswidth(s)
    return w if w >= 0 else len(s)


def _truncate(s: str, width: int) -> str:
    """`s` cut to `width` terminal columns (CJK characters take two), with an ellipsis."""
    if _display_width(s) <= width:
        return s
    from wcwidth import wcwidth
    out, used = [], 0
    for ch in s:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _fit(widths: list[int], total: int, floor: int = 6) -> list[int]:
    """Column widths that fit `total` columns: the widest shrink first, none below `floor`."""
    widths = list(widths)
    room = total - 2 * (len(widths) - 1)
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= floor:
            break
        widths[i] -= 1
    return widths


def format_rows(cols: list[str], rows: list[list], fmt: str, wide: bool = False, width: int | None = None,
                bom: bool = False) -> str:
    """Rows as json (objects), csv (lists as JSON; `bom` for Excel) or a table whose cells are
    cut to the terminal's `width` unless `wide`."""
    if fmt == "json":
        return json.dumps([dict(zip(cols, (plain(v) for v in r))) for r in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows([_cell(v) for v in r] for r in rows)
        return ("\ufeff" if bom else "") + buf.getvalue().rstrip("\n")
    clean = lambda s: re.sub(r"[\r\n\t]+", " ", s)
    cells = [[clean(_cell(v)) for v in r] for r in rows]
    widths = [max([_display_width(c)] + [_display_width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    if width is None and not wide:       # a terminal (or $COLUMNS) sets the width; a pipe gets whole cells
        import shutil
        import sys
        if "COLUMNS" in os.environ or sys.stdout.isatty():
            width = shutil.get_terminal_size((120, 24)).columns
        else:
            wide = True
    if not wide:
        fitted = _fit(widths, width)
        cells = [[_truncate(v, fitted[i]) for i, v in enumerate(r)] for r in cells]
        cols = [_truncate(c, fitted[i]) for i, c in enumerate(cols)]
        widths = fitted
    pad = lambda s, w: s + " " * max(0, w - _display_width(s))
    lines = ["  ".join(pad(c, widths[i]) for i, c in enumerate(cols)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, widths[i]) for i, v in enumerate(r)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
