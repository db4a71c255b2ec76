"""The named queries (queries/NAME.cypher) answered on the embedded store from its indexes:
the same columns and rows as the Cypher on Neo4j (tests/test_queries.py compares them),
without building an RDF graph of the whole store per call.

Entities are found by any form a letter wrote (the `f` values of node_values, indexed), as
the Cypher finds them through `n.forms`; the walks (implementation chains, shortest paths)
read relationships by their indexed ends, one frontier at a time."""
from __future__ import annotations

import json
from collections import defaultdict

from kg.query import QueryError, page

SEP = " → "
MAX_PATH_STEPS = 6
MAX_CHAIN_STEPS = 20
MAX_PATHS = 100_000       # shortest paths compared by their names before giving the first


class _Q:
    def __init__(self, s):
        self.s = s
        self._info: dict[int, tuple] = {}

    def rows(self, sql, args=()):
        return self.s.rows(sql, args)

    def find(self, form: str, labels: tuple[str, ...] = ()) -> list[int]:
        sql = "SELECT DISTINCT v.nid FROM node_values v JOIN nodes n USING (nid) WHERE v.field = 'f' AND v.value = ?"
        args = [form]
        if labels:
            sql += f" AND n.label IN ({','.join('?' * len(labels))})"
            args += list(labels)
        return [r[0] for r in self.rows(sql + " ORDER BY v.nid", args)]

    def info(self, nids) -> dict[int, tuple]:
        """nid → (label, name, kind, properties)"""
        todo = [n for n in set(nids) if n not in self._info]
        for i in range(0, len(todo), 500):
            part = todo[i:i + 500]
            for nid, label, name, kind, props in self.rows(
                    f"SELECT nid, label, name, kind, properties FROM nodes WHERE nid IN ({','.join('?' * len(part))})", part):
                self._info[nid] = (label, name, kind, json.loads(props))
        return {n: self._info[n] for n in nids if n in self._info}

    def names(self, nids) -> dict[int, str]:
        """nid → name (without reading the nodes' properties)"""
        ids, out = sorted(set(nids)), {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            out.update(self.rows(f"SELECT nid, name FROM nodes WHERE nid IN ({','.join('?' * len(part))})", part))
        return out

    def sentences(self, keys) -> dict[tuple[str, int], str]:
        """(doc, sid) → text, for many at once"""
        keys, out = sorted(set(keys)), {}
        for i in range(0, len(keys), 400):
            part = keys[i:i + 400]
            # the keys as a table joined to the sentences' primary key (a row-value IN would scan them all)
            for doc, sid, text in self.rows("WITH k(doc, sid) AS (VALUES " + ",".join("(?, ?)" for _ in part) + ") "
                                            "SELECT s.doc, s.sid, s.text FROM k CROSS JOIN sentences s "
                                            "ON s.doc = k.doc AND s.sid = k.sid", [x for k in part for x in k]):
                out[(doc, sid)] = text
        return out

    def sentence(self, doc: str, sid: int) -> str:
        r = self.rows("SELECT text FROM sentences WHERE doc = ? AND sid = ?", (doc, sid))
        return r[0][0] if r else ""

    def name(self, nid: int) -> str:
        return self.info([nid])[nid][1]

    def prop(self, nid: int, key: str):
        v = self.info([nid])[nid][3].get(key)
        # Neo4j holds plain values as properties (lists and maps only in properties_json)
        return v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None

    def out(self, nids, rtype: str) -> list[tuple[int, int]]:
        return self._ends(nids, rtype, "src", "dst")

    def into(self, nids, rtype: str) -> list[tuple[int, int]]:
        """(dst, src) of the relationships of `rtype` into `nids`"""
        return self._ends(nids, rtype, "dst", "src")

    def _ends(self, nids, rtype, this, other) -> list[tuple[int, int]]:
        nids = sorted(set(nids))
        out = []
        for i in range(0, len(nids), 500):
            part = nids[i:i + 500]
            out += self.rows(f"SELECT {this}, {other} FROM rels WHERE type = ? AND {this} IN ({','.join('?' * len(part))})",
                             [rtype, *part])
        return out

    def neighbours(self, nids) -> dict[int, set[int]]:
        """Either way, any type: nid → the nodes one relationship away."""
        nids = sorted(set(nids))
        out: dict[int, set[int]] = defaultdict(set)
        for i in range(0, len(nids), 500):
            part = nids[i:i + 500]
            q = ",".join("?" * len(part))
            for a, b in self.rows(f"SELECT src, dst FROM rels WHERE src IN ({q})", part):
                out[a].add(b)
            for a, b in self.rows(f"SELECT dst, src FROM rels WHERE dst IN ({q})", part):
                out[a].add(b)
        return out


def _sort_key(row) -> tuple:
    return tuple((0, "") if v is None else (1, v) if isinstance(v, str) else (1, str(v)) for v in row)


def _distinct(rows) -> list:
    seen, out = set(), []
    for r in rows:
        t = tuple(r)
        if t not in seen:
            seen.add(t)
            out.append(list(r))
    return out


def co_issuers(q: _Q, policy: str):
    ps = q.find(policy, ("Policy",))
    issuers = {src for _, src in q.into(ps, "ISSUED")}
    info = q.info(issuers)
    rows = _distinct([info[a][1], info[a][0]] for a in issuers)
    return ["issuer", "label"], sorted(rows, key=_sort_key)


def co_issuance_network(q: _Q, from_year: str, to_year: str, limit: str):
    """From the CO_ISSUED counts the store keeps at load (kg.store.co_issuance): pairs of issuer
    nodes, each named once (the first name in code-point order first), most policies first, the
    first `limit` (0: all). Without a range of years (0 to 9999), each pair's total, read in the
    order of its index; with one, the counts by year summed."""
    try:
        lo, hi, k = int(from_year), int(to_year), int(limit)
    except ValueError:
        raise QueryError("co_issuance_network: from_year, to_year and limit are integers") from None
    if lo == 0 and hi == 9999:      # every policy: each pair's total, read in the order of its index
        pairs, args = "SELECT a, b, n FROM co_pairs", ()
    else:
        pairs, args = ("SELECT a, b, sum(n) AS n FROM co_issued WHERE year BETWEEN ? AND ? AND (dated = 1 OR ? = 0) "
                       "GROUP BY a, b", (lo, hi, lo))
    if k <= 0:
        return ["body_a", "body_b", "policies"], _top(q, q.rows(pairs, args), 0)
    want = k
    while True:    # the pairs down to the k-th count, ties included; more when some are dropped
        cut = q.rows(f"SELECT n FROM ({pairs}) ORDER BY n DESC LIMIT 1 OFFSET ?", (*args, want - 1))
        floor = cut[0][0] if cut else 1
        rows = _top(q, q.rows(f"SELECT a, b, n FROM ({pairs}) WHERE n >= ?", (*args, floor)), k)
        if len(rows) >= k or not cut or floor <= 1:
            return ["body_a", "body_b", "policies"], rows
        want *= 2


def _top(q: _Q, pairs, k: int) -> list[list]:
    """(nid, nid, policies) as rows of names, the pairs of one name left out, ordered, the first k (0: all)."""
    names = q.names({x for a, b, _ in pairs for x in (a, b)})
    rows = []
    for a, b, n in pairs:
        x, y = names[a], names[b]
        if x != y and n > 0:
            rows.append([x, y, n] if x < y else [y, x, n])
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return rows[:k] if k > 0 else rows


def members(q: _Q, of: str):
    alliances = q.find(of, ("Institution",))
    ms = {m for _, m in q.into(alliances, "MEMBER_OF")}
    info = q.info(ms)
    rows = _distinct([info[m][1], info[m][2]] for m in ms)
    return ["member", "kind"], sorted(rows, key=_sort_key)


PARTICIPANTS_SHOWN = 20      # programs_led: the first names of a programme's participants


def programs_led(q: _Q, body: str):
    """One row per programme: the first PARTICIPANTS_SHOWN participants' names in code-point
    order and how many there are (distinct names)."""
    bodies = q.find(body, ("Agency", "Institution"))
    progs = {p for _, p in q.out(bodies, "LEADS")}
    progs = sorted(p for p, i in q.info(progs).items() if i[0] == "Program")
    names: dict[int, set[str]] = defaultdict(set)
    for i in range(0, len(progs), 500):
        part = progs[i:i + 500]
        for p, name in q.rows("SELECT r.dst, n.name FROM rels r JOIN nodes n ON n.nid = r.src "
                              f"WHERE r.type = 'PARTICIPATES_IN' AND r.dst IN ({','.join('?' * len(part))})", part):
            names[p].add(name)
    rows = [[q.name(p), sorted(names[p])[:PARTICIPANTS_SHOWN], len(names[p])] for p in progs]
    return ["program", "participants", "participant_count"], sorted(rows, key=lambda r: (r[0], -r[2], r[1]))


def _reach(q: _Q, start: list[int], step, steps: int) -> set[int]:
    seen: set[int] = set()
    frontier = set(start)
    for _ in range(steps):
        nxt = {b for _, b in step(frontier, "IMPLEMENTS")} - seen
        if not nxt:
            break
        seen |= nxt
        frontier = nxt
    return seen


def implementation_chain(q: _Q, policy: str):
    rows = []
    for p in q.find(policy, ("Policy", "Program")):
        rows += [["implements", x] for x in _reach(q, [p], q.out, MAX_CHAIN_STEPS)]
        rows += [["implemented_by", x] for x in _reach(q, [p], q.into, MAX_CHAIN_STEPS)]
    q.info({x for _, x in rows})
    rows = _distinct([rel, q.name(x)] for rel, x in rows)
    return ["relation", "linked"], sorted(rows, key=_sort_key)


def entity_facts(q: _Q, name: str, skip: str = "0", limit: str = "0"):
    cols = ["direction", "type", "other", "documents", "evidence"]
    ns = q.find(name)
    if not ns:
        return cols, []
    marks = ",".join("?" * len(ns))
    # as the Cypher does: a hub has thousands of facts, and the page's rows are among the first
    # skip + limit groups of equal (type, direction, other, documents) in the rows' order, so
    # only those groups' evidence is read
    groups: dict[tuple, list[int]] = defaultdict(list)
    facts = []
    for direction, this, other in (("out", "src", "dst"), ("in", "dst", "src")):
        facts += [(direction, *row) for row in q.rows(
            f"SELECT r.rid, r.{other}, r.type, (SELECT count(*) FROM rel_support s WHERE s.rid = r.rid) "
            f"FROM rels r WHERE r.{this} IN ({marks}) AND r.type <> 'HAS_INDICATOR'", ns)]
    names = q.names({f[2] for f in facts})
    for direction, rid, o, rtype, docs in facts:
        groups[(rtype, direction, names[o], docs)].append(rid)
    order = sorted(groups)
    first, count = int(skip or 0), int(limit or 0)
    if count > 0:
        order = order[:first + count]
    wanted = [rid for g in order for rid in groups[g]]
    evidence = {}
    for i in range(0, len(wanted), 500):
        part = wanted[i:i + 500]
        for rid, ev in q.rows(f"SELECT rid, evidence FROM rels WHERE rid IN ({','.join('?' * len(part))})", part):
            evidence[rid] = [(d, sid) for d, _, _, sid in json.loads(ev)]
    # every evidence sentence read at once, not one query each
    texts = q.sentences({k for ks in evidence.values() for k in ks})
    rows = _distinct([d, t, o, n, min((texts.get(k, "") for k in evidence[rid]), default=None)]
                     for t, d, o, n in order for rid in groups[(t, d, o, n)])
    return cols, page(sorted(rows, key=lambda r: (r[1], r[0], r[2], r[3], *_sort_key(r[4:]))),
                      {"skip": skip, "limit": limit})


def documents_mentioning(q: _Q, name: str, skip: str = "0", limit: str = "0"):
    cols = ["doc", "title", "date"]
    ns = q.find(name)
    if not ns:
        return cols, []
    # the page chosen by key (unique; SQLite orders text by code point, as Python does) before
    # any title or date is read: a hub is named in thousands of letters
    count = int(limit or 0)
    # (CROSS JOIN: SQLite then reads the entity's support rows first, never every Document)
    docs = q.rows(f"SELECT DISTINCT d.nid, d.key FROM node_support s CROSS JOIN nodes d "
                  f"ON d.label = 'Document' AND d.key = s.doc WHERE s.nid IN ({','.join('?' * len(ns))}) "
                  f"ORDER BY d.key LIMIT ? OFFSET ?", [*ns, count if count > 0 else -1, int(skip or 0)])
    info = q.info([nid for nid, _ in docs])
    return cols, [[key, info[nid][1], q.prop(nid, "date")] for nid, key in docs]


def _shortest(q: _Q, a: int, b: int, limit: int) -> str | None:
    """The first, by its names, of the shortest paths between a and b (either direction, up to
    `limit` steps): a bidirectional breadth-first search that keeps every node's parents on
    its side, then the paths through the layer where the two searches met."""
    if a == b:
        return None
    sides = {"a": ({a: 0}, {a: set()}, {a}), "b": ({b: 0}, {b: set()}, {b})}
    level = {"a": 0, "b": 0}
    meet: set[int] = set()
    while not meet:
        if level["a"] + level["b"] >= limit or not sides["a"][2] or not sides["b"][2]:
            return None
        side = "a" if len(sides["a"][2]) <= len(sides["b"][2]) else "b"
        dist, parents, frontier = sides[side]
        level[side] += 1
        nb = q.neighbours(frontier)
        nxt = set()
        for x in frontier:
            for y in nb.get(x, ()):
                if y not in dist:
                    dist[y] = level[side]
                    parents[y] = set()
                    nxt.add(y)
                if dist[y] == level[side]:
                    parents[y].add(x)
        sides[side] = (dist, parents, nxt)
        other = sides["b" if side == "a" else "a"][0]
        meet = {y for y in nxt if y in other}
    da, pa, _ = sides["a"]
    db, pb, _ = sides["b"]
    total = min(da[m] + db[m] for m in meet)
    meet = {m for m in meet if da[m] + db[m] == total}

    def halves(m, parents, budget):
        """Paths from m to its side's start, following parents."""
        out = [[m]]
        while parents[out[0][-1]]:
            out = [p + [y] for p in out for y in sorted(parents[p[-1]])][:budget]
        return out

    best, seen = None, 0          # (names joined by SEP, the nodes)
    for m in sorted(meet):
        left, right = halves(m, pa, MAX_PATHS), halves(m, pb, MAX_PATHS)
        q.info({x for p in left + right for x in p})
        for lp in left:
            head = [q.name(x) for x in reversed(lp)]
            for rp in right:
                text = SEP.join(head + [q.name(x) for x in rp[1:]])
                if best is None or text < best[0]:
                    best = (text, list(reversed(lp)) + rp[1:])
                seen += 1
                if seen >= MAX_PATHS:
                    return best
    return best


def _typed(q: _Q, nodes: list[int]) -> str:
    """A chain of nodes as text with each step's type and direction (A -[ISSUED]→ B ←[LEADS]- C);
    of two relationships between the same nodes, the first by that text (as the Cypher orders)."""
    parts = [q.name(nodes[0])]
    for x, y in zip(nodes, nodes[1:]):
        steps = [f" -[{t}]→ " for (t,) in q.rows("SELECT type FROM rels WHERE src = ? AND dst = ?", (x, y))]
        steps += [f" ←[{t}]- " for (t,) in q.rows("SELECT type FROM rels WHERE src = ? AND dst = ?", (y, x))]
        parts += [min(steps), q.name(y)]
    return "".join(parts)


def shortest_path(q: _Q, **params):
    froms, tos = q.find(params["from"]), q.find(params["to"])
    best = None
    for a in froms:
        for b in tos:
            found = _shortest(q, a, b, MAX_PATH_STEPS)
            if found is not None and (best is None or (found[0].count(SEP), found[0]) < (best[0].count(SEP), best[0])):
                best = found
    rows = [[best[0].count(SEP), _typed(q, best[1])]] if best is not None else []
    return ["hops", "path"], rows


def replies(q: _Q, proposer: str, session: str):
    if proposer:
        pairs = q.out(q.find(proposer), "PROPOSED")
    else:
        pairs = q.rows("SELECT src, dst FROM rels WHERE type = 'PROPOSED'")
    info = q.info({x for p in pairs for x in p})
    pairs = [(h, r) for h, r in pairs if info[r][0] == "Proposal"]
    if session:
        pairs = [(h, r) for h, r in pairs if session in str(q.prop(r, "session") or "")]
    docs: dict[int, set[int]] = defaultdict(set)
    for r, d in q.into({r for _, r in pairs}, "REPLIES_TO"):
        docs[r].add(d)
    info = q.info({d for ds in docs.values() for d in ds})
    issued: dict[int, set[int]] = defaultdict(set)
    for d, a in q.into({d for d, i in info.items() if i[0] == "Document"}, "ISSUED"):
        issued[d].add(a)
    q.info({a for xs in issued.values() for a in xs})
    rows = []
    for h, r in pairs:
        for d in docs[r]:
            if q.info([d])[d][0] != "Document":
                continue
            head = [q.name(h), q.name(r), q.prop(r, "number"), q.prop(r, "session"), q.name(d)]
            rows += [head + [q.name(a)] for a in issued[d]] or [head + [None]]
    key = lambda r: (*_sort_key([r[3] or "", r[2] or ""]), r[1], *_sort_key([r[5] or ""]), *_sort_key(r))
    return ["proposed_by", "proposal", "number", "in_session", "reply", "replied_by"], sorted(_distinct(rows), key=key)


QUERIES = {f.__name__: f for f in (co_issuers, co_issuance_network, members, programs_led, implementation_chain,
                                   entity_facts, documents_mentioning, shortest_path, replies)}


def run_named(s, name: str, params: dict) -> tuple[list[str], list[list]]:
    fn = QUERIES.get(name)
    if fn is None:
        raise QueryError(f"{name}: no embedded implementation of this named query; run it with --neo4j")
    return fn(_Q(s), **params)
