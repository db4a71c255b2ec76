"""The embedded store: idempotent loads, replacement of edited documents, retraction."""

from conftest import FIXTURES, SEED
from kg.pipeline import extract_one
from kg.records import RawDocument
from kg.extract import extract
from kg.pipeline import finalize
from kg.store import EmbeddedStore


def snapshot(store: EmbeddedStore):
    nodes = {n: (d["name"], tuple(d["aliases"]), tuple(sorted(d["docs"])), len(d["evidence"]))
             for n, d in store.g.nodes(data=True)}
    edges = {(u, v, k): (tuple(sorted(d["docs"])), len(d["evidence"])) for u, v, k, d in store.g.edges(keys=True, data=True)}
    return nodes, edges


def test_loading_twice_changes_nothing(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([extract_one(SEED), extract_one(FIXTURES / "hubei-kjt-2023-101.txt")])
    store.save()
    before = snapshot(EmbeddedStore(tmp_path))
    again = EmbeddedStore(tmp_path)
    result = again.load([extract_one(SEED), extract_one(FIXTURES / "hubei-kjt-2023-101.txt")])
    again.save()
    assert result.loaded == [] and len(result.unchanged) == 2
    assert snapshot(EmbeddedStore(tmp_path)) == before


def test_seed_facts_survive_a_round_trip_to_disk(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([extract_one(SEED)])
    store.save()
    g = EmbeddedStore(tmp_path).g
    plan = next(n for n, d in g.nodes(data=True) if d["name"] == "吉林省赋予科研人员职务科技成果所有权或长期使用权试点实施方案")
    issuers = {g.nodes[u]["name"] for u, v, k in g.in_edges(plan, keys=True) if k == "ISSUED"}
    assert len(issuers) == 9 and "吉林省科学技术厅" in issuers
    for u, v, k in g.in_edges(plan, keys=True):
        ev = g.edges[u, v, k]["evidence"]
        assert ev and all(e["doc_id"] == "jilin-kjt-2022-L37" and e["sentence"] for e in ev)
    community = next(n for n, d in g.nodes(data=True) if d["name"] == "科技成果转移转化共同体")
    members = {g.nodes[u]["name"] for u, v, k in g.in_edges(community, keys=True) if k == "MEMBER_OF"}
    assert len(members) == 10


def _graph(doc_id, text):
    return finalize(extract(RawDocument(doc_id, text)))


LETTER = ("对第{n}号提案的答复\n\n周九委员：\n您提出的《关于庚的建议》收悉。\n{body}\n\n浙江省科学技术厅\n2023年3月4日\n")


def test_edited_document_loses_stale_facts_and_keeps_shared_ones(tmp_path):
    store = EmbeddedStore(tmp_path)
    a = _graph("a", LETTER.format(n=1, body="联合省财政厅出台《浙江省甲方案》。与浙江大学签订合作协议。"))
    b = _graph("b", LETTER.format(n=2, body="联合省财政厅出台《浙江省甲方案》。"))
    store.load([a, b])
    names = lambda: {d["name"] for _, d in store.g.nodes(data=True)}
    assert "浙江大学" in names()
    edited = _graph("a", LETTER.format(n=1, body="举办“浙江科技论坛”。"))
    result = store.load([edited])
    assert result.replaced == ["a"]
    assert "浙江大学" not in names()                     # only the old version of a said it
    assert "浙江省甲方案" in names()                     # b still says it
    assert "浙江科技论坛" in names()
    plan = next(n for n, d in store.g.nodes(data=True) if d["name"] == "浙江省甲方案")
    assert store.g.nodes[plan]["docs"] == ["b"]
    assert all(e["doc_id"] == "b" for e in store.g.nodes[plan]["evidence"])


def test_remove_retracts_a_withdrawn_document(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([_graph("a", LETTER.format(n=1, body="联合省财政厅出台《浙江省甲方案》。"))])
    empty = snapshot(EmbeddedStore(tmp_path / "none"))
    assert store.remove("a")
    assert snapshot(store) == empty and store.documents == {}
    assert not store.remove("a")


def test_same_body_named_differently_in_two_documents_is_one_node(tmp_path):
    store = EmbeddedStore(tmp_path)
    a = _graph("a", LETTER.format(n=1, body="与浙江大学签订合作协议。"))
    b = _graph("b", LETTER.format(n=2, body="加强与浙大、复旦等高校交流合作。"))
    store.load([a, b])
    zju = store.find("浙大")
    assert len(zju) == 1 and store.g.nodes[zju[0]]["docs"] == ["a", "b"]
    assert len(store.find("浙江省科学技术厅")) == 1


def test_a_failed_batch_leaves_nothing_of_itself(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path)
    store.load([extract_one(SEED)])
    before = snapshot(EmbeddedStore(tmp_path))
    from kg.store import embedded

    def boom(self):
        raise RuntimeError("disk full")
    monkeypatch.setattr(embedded._Writer, "finish", boom)
    try:
        store.load([_graph("a", LETTER.format(n=1, body="联合省财政厅出台《浙江省甲方案》。"))])
    except RuntimeError:
        pass
    monkeypatch.undo()
    assert snapshot(EmbeddedStore(tmp_path)) == before
    assert set(EmbeddedStore(tmp_path).documents) == {"jilin-kjt-2022-L37"}


REPLY = ("关于{session}第{n}号提案的答复\n\n周九委员：\n您在{session}上提出的《关于加快科技成果转化的提案》收悉。"
         "经认真研究，现答复如下：\n联合{short}财政厅出台《{place}甲方案》。\n\n{signer}\n2023年3月4日\n")


def _reply(doc_id, place, short, signer, n="12"):
    text = REPLY.format(session="省政协十三届二次会议", n=n, place=place, short=short, signer=signer)
    return finalize(extract(RawDocument(doc_id, text)))


def test_a_proposal_is_its_assemblys_number_not_its_title(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([_reply("zj-kjt", "浙江省", "省", "浙江省科学技术厅"),
                _reply("zj-jyt", "浙江省", "省", "浙江省教育厅"),        # two departments answer one proposal
                _reply("js-kjt", "江苏省", "省", "江苏省科学技术厅"),    # another province, the same title
                _reply("zj-other", "浙江省", "省", "浙江省财政厅", n="13")])
    proposals = {v: d for v, d in store.g.nodes(data=True) if d["label"] == "Proposal"}
    assert len(proposals) == 3
    assert sorted(len(d["docs"]) for d in proposals.values()) == [1, 1, 2]
    assert all(d["name"] == "关于加快科技成果转化的提案" for d in proposals.values())


# -- every property is evidence too (issue 16, item 3) -----------------------------------------

def _policy_letter(doc_id, date, extra=""):
    """A letter that gives the policy 《浙江省乙办法》 a date (a Node property, as the extractor writes it)."""
    from kg.records import Evidence, Node
    g = _graph(doc_id, LETTER.format(n=int(doc_id[-1]) if doc_id[-1].isdigit() else 1,
                                     body=f"联合省财政厅出台《浙江省乙办法》。{extra}"))
    plan = next(n for n in g.nodes.values() if n.name == "浙江省乙办法")
    if date:
        plan.properties["date"] = date
    return g


def _node(store, name):
    return next(d for _, d in store.g.nodes(data=True) if d["name"] == name)


def test_a_property_leaves_with_the_letter_that_stated_it(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([_policy_letter("a1", "2021-01-05"), _policy_letter("b2", "")])
    assert _node(store, "浙江省乙办法")["properties"]["date"] == "2021-01-05"
    # a's date edited: the old date is gone, the new one is there
    store.load([_policy_letter("a1", "2022-03-04", extra="另行通知。")])
    plan = _node(store, "浙江省乙办法")
    assert plan["properties"]["date"] == "2022-03-04" and not plan["alternatives"]
    # a removed: no letter states a date any more
    store.remove("a1")
    assert "date" not in _node(store, "浙江省乙办法")["properties"]


def test_letters_that_disagree_keep_a_choice_and_the_alternatives(tmp_path):
    orders = []
    for order in (("a1", "b2"), ("b2", "a1")):
        store = EmbeddedStore(tmp_path / "-".join(order))
        dates = {"a1": "2021-01-05", "b2": "2020-07-01"}
        for d in order:
            store.load([_policy_letter(d, dates[d])])
        plan = _node(store, "浙江省乙办法")
        orders.append((plan["properties"]["date"], plan["alternatives"]))
    assert orders[0] == orders[1]                         # the choice does not depend on load order
    chosen, alts = orders[0]
    assert chosen == "2020-07-01"
    assert alts == {"date": [{"value": "2021-01-05", "docs": ["a1"]}]}


def test_a_name_never_outlives_the_letters_that_used_it(tmp_path):
    store = EmbeddedStore(tmp_path)
    a = _graph("a", LETTER.format(n=1, body="与浙江大学签订合作协议。"))
    b = _graph("b", LETTER.format(n=2, body="与“浙江大学”签订合作协议。"))
    store.load([a, b])
    zju = store.find("浙江大学")
    assert len(zju) == 1
    store.remove("a")
    d = store.g.nodes[store.find("浙江大学")[0]]
    assert d["docs"] == ["b"]
    assert all(e["doc_id"] == "b" for e in d["evidence"])


def _syn_graphs(n):
    import sys
    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic
    from kg.extract import extract
    out = []
    for i in range(n):
        doc_id, text, _ = synthetic.letter(i)
        out.append(finalize(extract(RawDocument(doc_id, text))))
    return out


def _canonical(store):
    from kg.export import to_json
    g = to_json(store.g)
    return (sorted(g["nodes"], key=lambda n: n["id"]),
            sorted(g["relationships"], key=lambda r: (r["type"], r["source"], r["target"])))


def test_the_same_letters_in_any_order_give_the_same_graph(tmp_path):
    graphs = _syn_graphs(120)
    forward = EmbeddedStore(tmp_path / "forward")
    for i in range(0, 120, 25):
        forward.load(graphs[i:i + 25])
    backward = EmbeddedStore(tmp_path / "backward")
    rev = graphs[::-1]
    for i in range(0, 120, 25):
        backward.load(rev[i:i + 25])
    a, b = _canonical(forward), _canonical(backward)
    assert len(a[0]) > 1000 and len(a[1]) > 1000
    assert a == b


def test_programmes_of_different_places_never_merge(tmp_path):
    """河南“新材料揭榜挂帅”专项 and 云南“新材料揭榜挂帅”专项 are both “新材料揭榜挂帅”专项 in their letters."""
    from kg.records import Node
    from kg.records import DocGraph
    store = EmbeddedStore(tmp_path)
    graphs = []
    for i, place in enumerate(("河南", "云南", "信阳")):
        g = DocGraph(f"p{i}", f"h{i}")
        n = Node("Program", f"{place}“新材料揭榜挂帅”专项",
                 aliases={"“新材料揭榜挂帅”专项", "新材料揭榜挂帅专项", f"{place}“新材料揭榜挂帅”专项"})
        g.nodes[n.id] = n
        graphs.append(g)
    store.load(graphs)
    progs = [d for _, d in store.g.nodes(data=True) if d["label"] == "Program"]
    assert len(progs) == 3
    assert all(sum(p in a for a in d["aliases"] for p in ("河南", "云南", "信阳")) == 0 for d in progs)
    # a letter that names only the bare form is not joined to any of them: it is ambiguous
    g = DocGraph("bare", "hb")
    n = Node("Program", "“新材料揭榜挂帅”专项")
    g.nodes[n.id] = n
    store.load([g])
    assert len([1 for _, d in store.g.nodes(data=True) if d["label"] == "Program"]) == 4
