"""CO_ISSUED (schema/schema.toml [derived.CO_ISSUED]) is kept at load by both stores: a function
of the letters loaded, whatever their order or batches; a replaced or removed letter takes its
share back (issuers and dates); a store or database written before it gets it on opening. And
programs_led gives one row per programme with the first 20 participants."""
import sqlite3

from kg import query as q
from kg.rdf import to_rdf
from kg.records import DocGraph, Evidence, Node, Relationship
from kg.store import EmbeddedStore

A, B, C, D = "甲市科学技术局", "乙市财政局", "丙市教育局", "丁市发展和改革委员会"
P1, P2, P3 = "关于甲乙丙联合试点的实施方案", "关于推进科技金融合作的若干意见", "关于建设创新平台的通知"


def letter(doc: str, issued: dict[str, list[str]], dates: dict[str, str] | None = None) -> DocGraph:
    """A letter saying who issued which policy (and, for some, its date)."""
    dates = dates or {}
    dg = DocGraph(doc, f"h-{doc}-{sorted(issued.items())}-{sorted(dates.items())}")
    ev = [Evidence(doc, 0, 4, f"{doc}的句子")]
    d = Node("Document", f"{doc}的答复", key=doc, evidence=ev)
    dg.nodes[d.id] = d
    for pol, who in issued.items():
        p = Node("Policy", pol, properties={"date": dates[pol]} if pol in dates else {}, evidence=ev)
        dg.nodes[p.id] = p
        for name in who:
            a = dg.nodes.setdefault(Node("Agency", name).id, Node("Agency", name, evidence=ev))
            r = Relationship("ISSUED", a.id, p.id, evidence=ev)
            dg.relationships[r.id] = r
    return dg


D1 = letter("d1", {P1: [A, B, C], P2: [A, B]}, {P1: "2021-03-01"})
D2 = letter("d2", {P1: [A, D], P3: [B, D]}, {P1: "2020-05", P3: "2022-01-01"})
D3 = letter("d3", {P2: [B, C], P3: [A, B]}, {P3: "2022"})
D2_EDITED = letter("d2", {P1: [A]})          # the same id: P1 now issued by A alone, undated; no P3

NET = q.library()["co_issuance_network"]


def network(run, **given) -> list[list]:
    return run(NET.bind({"limit": "0", **given}))


def on(store):
    return lambda params: store.query("co_issuance_network", params)[1]


def on_neo4j(store):
    return lambda params: q.run_cypher(store, NET.cypher, params)[1]


def pairs(rows) -> dict[tuple, int]:
    return {(a, b): n for a, b, n in rows}


def embedded_tables(store: EmbeddedStore) -> tuple:
    """What the store keeps, by names (not nids)."""
    db = sqlite3.connect(store.file)
    try:
        name = dict(db.execute("SELECT nid, name FROM nodes"))
        co = sorted((*sorted([name[a], name[b]]), y, d, n) for a, b, y, d, n in db.execute("SELECT * FROM co_issued"))
        tot = sorted((*sorted([name[a], name[b]]), n) for a, b, n in db.execute("SELECT * FROM co_pairs"))
        basis = sorted((name[p], y, d, i) for p, y, d, i in db.execute("SELECT * FROM co_basis"))
        return co, tot, len(basis)
    finally:
        db.close()


def rebuilt(store: EmbeddedStore) -> tuple:
    from kg.store.embedded import _Writer
    db = sqlite3.connect(store.file, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        _Writer(db).rebuild_co_issuance()
        db.execute("COMMIT")
    finally:
        db.close()
    return embedded_tables(store)


ALL_YEARS = {(A, B): 3, (A, C): 2, (A, D): 2, (B, C): 2, (B, D): 2, (C, D): 1}


def ordered(d: dict) -> dict:
    return {tuple(sorted(k)): v for k, v in d.items()}


def test_embedded_counts_are_a_function_of_the_letters(tmp_path):
    results = []
    for i, batches in enumerate(([[D1, D2, D3]], [[D3], [D2], [D1]], [[D2, D1], [D3]])):
        store = EmbeddedStore(tmp_path / str(i))
        for b in batches:
            store.load(b)
        results.append((network(on(store)), network(on(store), from_year="2020", to_year="2021"),
                        network(on(store), from_year="0", to_year="2021"), embedded_tables(store)))
        assert embedded_tables(store) == rebuilt(store)        # kept at load = made from scratch
    assert results[0] == results[1] == results[2]
    whole, dated, from0, _ = results[0]
    assert pairs(whole) == ordered(ALL_YEARS)
    # P1 is 2020 (the first of its dates, 2020-05, in code-point order), P2 undated, P3 2022
    assert pairs(dated) == ordered({(A, B): 1, (A, C): 1, (A, D): 1, (B, C): 1, (B, D): 1, (C, D): 1})
    assert pairs(from0) == ordered({(A, B): 2, (A, C): 2, (B, C): 2, (A, D): 1, (B, D): 1, (C, D): 1})
    assert [r[2] for r in whole] == sorted((r[2] for r in whole), reverse=True)


AFTER = ordered({(A, B): 2, (A, C): 1, (B, C): 1})      # d2 edited, d3 removed


def test_embedded_replace_and_remove_take_their_share_back(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load([D1, D2, D3])
    r = store.load([D2_EDITED])
    assert r.replaced == ["d2"]
    assert store.remove("d3")
    assert pairs(network(on(store))) == AFTER
    # P1's date is d1's again (2021): the year moved with the retraction
    assert pairs(network(on(store), from_year="2021", to_year="2021")) == ordered({(A, B): 1, (A, C): 1, (B, C): 1})
    assert embedded_tables(store) == rebuilt(store)
    fresh = EmbeddedStore(tmp_path / "fresh")
    fresh.load([D2_EDITED, D1])
    assert embedded_tables(fresh)[:2] == embedded_tables(store)[:2]
    assert network(on(fresh)) == network(on(store))


def test_an_embedded_store_written_before_gains_the_counts(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load([D1, D2, D3])
    want = network(on(store))
    store.close()
    db = sqlite3.connect(store.file)
    db.executescript("DROP TABLE co_issued; DROP TABLE co_pairs; DROP TABLE co_basis;")
    db.close()
    again = EmbeddedStore(tmp_path / "s", notify=lambda m: None)
    assert network(on(again)) == want


def neo4j_dump(store) -> list[tuple]:
    with store.session(write=False) as s:
        rows = sorted((r["a"], r["b"], r["n"], tuple(r["years"]), r["first"], r["last"]) for r in s.run(
            "MATCH (a)-[c:CO_ISSUED]->(b) RETURN a.key AS a, b.key AS b, c.policies AS n, c.years AS years, "
            "c.first_year AS first, c.last_year AS last"))
    # first_year and last_year are the ends of years (none for a pair without a dated policy)
    assert all((first, last) == ((years[0], years[-1]) if years else (None, None)) for *_, years, first, last in rows)
    return rows


def test_neo4j_keeps_co_issued_as_letters_come_and_go(neo4j_store, tmp_path):
    from kg.store.neo4j_store import rebuild_co_issued
    for b in ([D3], [D2], [D1]):
        neo4j_store.load(b)
    emb = EmbeddedStore(tmp_path / "e")
    emb.load([D1, D2, D3])
    assert pairs(network(on_neo4j(neo4j_store))) == ordered(ALL_YEARS)
    for given in ({}, {"from_year": "2020", "to_year": "2021"}, {"from_year": "0", "to_year": "2021"},
                  {"from_year": "2022", "to_year": "2030"}, {"from_year": "-5", "to_year": "2020"},
                  {"from_year": "2021", "to_year": "9999"}, {"from_year": "0", "to_year": "-1"}, {"limit": "2"}):
        assert network(on_neo4j(neo4j_store), **given) == network(on(emb), **given), given
    kept = neo4j_dump(neo4j_store)
    assert all(list(years) == sorted(years) for *_, years, _first, _last in kept)
    assert any(years for *_, years, _f, _l in kept)
    assert {(a, b) for a, b, *_ in kept} == {tuple(sorted(p)) for p in
                                             [(A, B), (A, C), (A, D), (B, C), (B, D), (C, D)]}   # one direction, by key
    with neo4j_store.session() as s:
        s.execute_write(rebuild_co_issued)
    assert neo4j_dump(neo4j_store) == kept              # kept at load = made from the facts
    # an edited letter and a removed one take their share back
    assert neo4j_store.load([D2_EDITED]).replaced == ["d2"]
    assert neo4j_store.remove("d3")
    assert pairs(network(on_neo4j(neo4j_store))) == AFTER
    assert pairs(network(on_neo4j(neo4j_store), from_year="2021", to_year="2021")) == ordered(
        {(A, B): 1, (A, C): 1, (B, C): 1})
    kept = neo4j_dump(neo4j_store)
    with neo4j_store.session() as s:
        s.execute_write(rebuild_co_issued)
    assert neo4j_dump(neo4j_store) == kept
    # a database written before CO_ISSUED was kept gets it from apply_schema
    with neo4j_store.session() as s:
        s.run("MATCH ()-[c:CO_ISSUED]->() DELETE c").consume()
    neo4j_store.apply_schema()
    assert neo4j_dump(neo4j_store) == kept
    # and one written before first_year and last_year were kept, them
    with neo4j_store.session() as s:
        s.run("MATCH ()-[c:CO_ISSUED]->() REMOVE c.first_year, c.last_year").consume()
    neo4j_store.apply_schema()
    assert neo4j_dump(neo4j_store) == kept
    # a range of years is read through the index on last_year, not by a scan of every pair
    nq = q.library()["co_issuance_network"]
    with neo4j_store.session(write=False) as s:
        plan = s.run("EXPLAIN " + nq.cypher, nq.bind({"from_year": "2021", "to_year": "2022"})).consume().plan
    seeks = []

    def walk(p):
        if "IndexSeekByRange" in p.get("operatorType", ""):
            seeks.append(p.get("args", {}).get("Details", ""))
        for c in p.get("children", []):
            walk(c)
    walk(plan)
    assert any("last_year" in d for d in seeks), seeks


def test_programs_led_one_row_per_programme_with_the_first_participants(neo4j_store, tmp_path):
    doc = "p1"
    dg = DocGraph(doc, "h-p1")
    ev = [Evidence(doc, 0, 2, "牵头实施")]
    lead = Node("Agency", "戊省科学技术厅", evidence=ev)
    prog = Node("Program", "戊省科技特派员行动", evidence=ev)
    lonely = Node("Program", "戊省创新券专项", evidence=ev)
    for n in (Node("Document", "答复", key=doc, evidence=ev), lead, prog, lonely):
        dg.nodes[n.id] = n
    names = [f"戊省第{i:02d}研究院" for i in range(25)]
    for name in names:
        x = Node("Institution", name, evidence=ev)
        dg.nodes[x.id] = x
        r = Relationship("PARTICIPATES_IN", x.id, prog.id, evidence=ev)
        dg.relationships[r.id] = r
    for p in (prog, lonely):
        r = Relationship("LEADS", lead.id, p.id, evidence=ev)
        dg.relationships[r.id] = r
    emb = EmbeddedStore(tmp_path / "e")
    emb.load([dg])
    neo4j_store.load([dg])
    nq = q.library()["programs_led"]
    params = nq.bind({"body": "戊省科学技术厅"})
    want = [["戊省创新券专项", [], 0], ["戊省科技特派员行动", sorted(names)[:20], 25]]
    assert emb.query("programs_led", params) == (["program", "participants", "participant_count"], want)
    assert q.run_cypher(neo4j_store, nq.cypher, params)[1] == want
    assert q.run_sparql(to_rdf(emb.g), nq.sparql, params)[1] == want


def test_counts_from_scratch_are_the_sum_of_each_policys_delta():
    """The whole-graph count (the bulk path's) equals adding each policy's change one by one (the writers')."""
    from collections import Counter
    from kg.store.co_issuance import contribution, counts, delta
    policies = [([("Agency", A), ("Agency", B), ("Agency", C)], "2021-03-01"), ([("Agency", A), ("Agency", B)], None),
                ([("Agency", B), ("Agency", D), ("Agency", B)], "2020"), ([("Agency", A)], "2022"),
                ([("Agency", D), ("Agency", C), ("Agency", A), ("Agency", B)], "未注明")]
    one_by_one: Counter = Counter()
    for issuers, date in policies:
        one_by_one.update(delta(None, contribution(issuers, date)))
    assert counts(contribution(i, d) for i, d in policies) == +one_by_one
    assert sum(one_by_one.values()) == 3 + 1 + 1 + 0 + 6


def test_whole_graph_rows_are_each_pairs_values():
    """co_issued_rows (the bulk path's CO_ISSUED) gives every pair, in order, the values the
    writers keep for it from its counts by year (pair_values), policies in many years and undated."""
    import random
    from collections import Counter, defaultdict
    from kg.store.co_issuance import contribution, counts, pair_values, year_span
    from kg.store.neo4j_store import co_issued_rows
    rnd = random.Random(7)
    bodies = [("Agency", f"机构{i}") for i in range(12)] + [("Institution", f"单位{i}") for i in range(4)]
    policies = [(rnd.sample(bodies, rnd.randint(1, 5)), rnd.choice([None, "未注明", "2019", "2020-05", "2021", 2018]))
                for _ in range(300)]
    by_pair: dict = defaultdict(Counter)
    for (a, b, year, dated), n in counts(contribution(i, d) for i, d in policies).items():
        by_pair[(a, b)][(year, dated)] += n
    want = []
    for (a, b), by_year in sorted(by_pair.items()):
        n, years = pair_values(by_year)
        want.append({"sl": a[0], "sk": a[1], "tl": b[0], "tk": b[1], "n": n, "years": years,
                     "first": year_span(years)[0], "last": year_span(years)[1]})
    got = co_issued_rows(policies)
    assert len(got) > 50 and any(len(r["years"]) > 2 for r in got) and any(r["n"] > len(r["years"]) for r in got)
    assert got == want
