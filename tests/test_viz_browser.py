"""The HTML graph in a real headless Chromium (Debian's package, installed by ./run test):
what an analyst sees when pointing at and clicking on nodes and relationships.

Every view leaves a screenshot in test-artifacts/; the 5,000-node page also leaves its
time to interactive in test-artifacts/viz-timing.txt (measured, never asserted)."""
import io
import os
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEED
from kg import viz
from kg.extract import extract
from kg.pipeline import extract_one, finalize
from kg.records import RawDocument
from kg.store import EmbeddedStore

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
W, H = 1400, 900


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: ./run test installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def open_page(browser, html: Path, timeout=60000):
    """Open a file with every request recorded; anything not the file itself is a leak."""
    # bypass_csp: the page's own CSP would block requests too; the test must see the page's behaviour without it
    page = browser.new_page(viewport={"width": W, "height": H}, bypass_csp=True)
    leaks, errors = [], []
    page.route("**/*", lambda route: (route.continue_() if route.request.url.startswith("file:")
                                      else (leaks.append(route.request.url), route.abort())))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri(), timeout=timeout)
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=timeout)
    assert errors == []
    return page, leaks


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"graph-{name}.png"
    page.screenshot(path=str(path))
    return path


def coloured_pixels(png: bytes) -> int:
    """Pixels of a screenshot that are neither white nor near-white: something is drawn."""
    from PIL import Image
    img = Image.open(io.BytesIO(png)).convert("L")
    return sum(img.histogram()[:200])


def node_point(page, node_id: str) -> tuple[float, float]:
    """Where a node is on the screen (page coordinates)."""
    return tuple(page.evaluate("""id => { const r = kgRenderer, d = r.getNodeDisplayData(id);
        const p = r.framedGraphToViewport(d), box = document.getElementById('graph').getBoundingClientRect();
        return [p.x + box.left, p.y + box.top]; }""", node_id))


def clear_edge_point(page, min_length=60):
    """A relationship's midpoint away from every node, with its key: where pointing finds it."""
    return page.evaluate("""minLen => { const r = kgRenderer, g = kgGraph, box = document.getElementById('graph').getBoundingClientRect();
        const at = n => r.framedGraphToViewport(r.getNodeDisplayData(n));
        const pts = g.nodes().map(at);
        let best = null;
        g.forEachEdge((e, a, s, t) => {
          if (s === t) return;
          const p = at(s), q = at(t), len = Math.hypot(p.x - q.x, p.y - q.y);
          if (len < minLen) return;
          const m = { x: Math.round((p.x + q.x) / 2), y: Math.round((p.y + q.y) / 2) };   // the pointer's pixels are whole
          if (m.x < 20 || m.y < 20 || m.x > box.width - 20 || m.y > box.height - 20) return;
          const clear = Math.min(...pts.map(o => Math.hypot(o.x - m.x, o.y - m.y)));
          // (two relationships between the same nodes overlap: keep one that is alone under its midpoint)
          if (clear > 25 && (!best || clear > best.clear) && r.getEdgeAtPoint(m.x, m.y) === e) best = { edge: e, x: m.x + box.left, y: m.y + box.top, clear };
        });
        return best; }""", min_length)


def tip_inside_viewport(page):
    tip = page.locator("#tip")
    assert tip.is_visible()
    b = tip.bounding_box()
    assert b["width"] > 50 and b["height"] > 20
    assert 0 <= b["x"] and b["x"] + b["width"] <= W and 0 <= b["y"] and b["y"] + b["height"] <= H, b
    # nothing covers it: the element at its centre is the tooltip (which otherwise lets the pointer through)
    on_top = page.evaluate("""([x, y]) => { const t = document.getElementById('tip'); t.style.pointerEvents = 'auto';
        const top = document.elementFromPoint(x, y); t.style.pointerEvents = ''; return top !== null && top.closest('#tip') !== null; }""",
                           [b["x"] + b["width"] / 2, b["y"] + b["height"] / 2])
    assert on_top
    panel = page.locator("#details")
    if panel.is_visible():                 # not under the pinned panel either
        assert b["x"] + b["width"] <= panel.bounding_box()["x"] + 1
    return tip.inner_text()


def evidence_of(g, node_id):
    return [e["sentence"] for e in g.nodes[node_id]["evidence"]]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("viz")
    store = EmbeddedStore(d / "store")
    store.load([extract_one(SEED), *(extract_one(p) for p in sorted(FIXTURES.glob("*.txt")))])
    return store


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory, seed_store):
    out = tmp_path_factory.mktemp("viz-html") / "graph.html"
    viz.write_html(seed_store.g, out, title="kg — whole store")
    return out, seed_store.g


def test_page_loads_offline_and_draws_the_connected_nodes(browser, seed_html):
    html, g = seed_html
    page, leaks = open_page(browser, html)
    assert leaks == []
    connected = [v for v in g if g.degree(v) > 0]
    assert page.evaluate("kgGraph.order") == len(connected) < g.number_of_nodes()
    # the unconnected ones are listed, not drawn as loose dots
    assert f"Unconnected ({g.number_of_nodes() - len(connected)})" in page.inner_text("#isolated-box")
    # the view says what it is
    assert page.inner_text("#title") == "kg — whole store"
    assert f"{len(connected)} nodes, {g.number_of_edges()} relationships" in page.inner_text("#scope")
    png = shot(page, "seed")
    assert coloured_pixels(png.read_bytes()) > 20000
    page.close()


def test_first_view_labels_the_most_important_nodes(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    shown = set(page.evaluate("[...kgRenderer.displayedNodeLabels]"))
    assert len(shown) >= 12
    hub = next(v for v, d in g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    assert hub in shown
    # the labelled ones are among the most important: none is a leaf of a single document
    top = sorted((v for v in g if g.degree(v) > 0), key=lambda v: -viz.importance(g)[v])[:60]
    assert len(shown & set(top)) >= len(shown) * 0.6
    page.close()


def test_pointing_at_a_node_shows_its_evidence_inside_the_viewport(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    hub = next(v for v, d in g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    assert page.locator("#tip").is_hidden()
    page.mouse.move(*node_point(page, hub))
    page.wait_for_function("document.body.dataset.hovered !== undefined")
    assert page.evaluate("document.body.dataset.hovered") == "node:" + hub
    text = tip_inside_viewport(page)
    assert "吉林省科学技术厅" in text and "省科技厅" in text          # canonical name and an alias
    assert evidence_of(g, hub)[0] in text
    # the node farthest right and lowest: its tooltip still fits inside the window
    corner = page.evaluate("""(() => { let best = null, bs = -1;
        kgGraph.forEachNode(n => { const p = kgRenderer.framedGraphToViewport(kgRenderer.getNodeDisplayData(n));
          if (p.x + p.y > bs) { bs = p.x + p.y; best = n; } }); return best; })()""")
    page.mouse.move(5, 5)
    page.mouse.move(*node_point(page, corner))
    page.wait_for_function(f"document.body.dataset.hovered === 'node:{corner}'")
    assert g.nodes[corner]["name"] in tip_inside_viewport(page)
    shot(page, "seed-hover-node")
    page.mouse.move(5, 5)
    page.wait_for_function("document.body.dataset.hovered === undefined")
    assert page.locator("#tip").is_hidden()
    page.close()


def test_clicking_a_node_pins_its_names_evidence_and_documents(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    hub = next(v for v, d in g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    page.mouse.click(*node_point(page, hub))
    page.wait_for_function(f"document.body.dataset.pinned === 'node:{hub}'")
    panel = page.locator("#details")
    assert panel.is_visible()
    text = panel.inner_text()
    assert "吉林省科学技术厅" in text and "省科技厅" in text
    assert evidence_of(g, hub)[0] in text
    # documents by title and date, not only by id
    assert "对省政协十二届五次会议第L37号委员提案的答复" in text and "2022-07-06" in text
    b = panel.bounding_box()
    assert b["x"] + b["width"] <= W and b["x"] >= 0
    # the pinned panel stays when the pointer moves on
    page.mouse.move(5, 5)
    assert panel.is_visible()
    shot(page, "seed-click-node")
    page.close()


def test_pointing_at_and_clicking_a_relationship_shows_its_evidence(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    spot = clear_edge_point(page)
    assert spot, "no relationship drawn long enough to point at"
    page.mouse.move(spot["x"], spot["y"])
    page.wait_for_function("(document.body.dataset.hovered || '').startsWith('edge:')")
    edge = page.evaluate("document.body.dataset.hovered").split(":", 1)[1]
    u, v, typ, i = page.evaluate("""e => [kgGraph.source(e), kgGraph.target(e), kgGraph.getEdgeAttribute(e, 'kgType'),
                                          kgGraph.getEdgeAttribute(e, 'kgIndex')]""", edge)
    sentences = [e["sentence"] for e in g.edges[u, v, typ]["evidence"]]
    text = tip_inside_viewport(page)
    assert typ in text and g.nodes[u]["name"] in text and g.nodes[v]["name"] in text
    assert sentences[0] in text
    shot(page, "seed-hover-edge")
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function(f"document.body.dataset.pinned === 'edge:e{i}'")
    text = page.locator("#details").inner_text()
    assert all(s in text for s in sentences[:3])
    doc = g.edges[u, v, typ]["docs"][0]
    title = next(d["name"] for _, d in g.nodes(data=True) if d["label"] == "Document" and d["key"] == doc)
    assert title in text
    shot(page, "seed-click-edge")
    page.close()


def test_search_focuses_the_node_by_alias(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    page.fill("#search", "省科技厅")
    target = next(v for v, d in g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    assert page.evaluate("document.body.dataset.focused") == target
    assert page.evaluate("kgSelected()") == target
    assert "吉林省科学技术厅" in page.inner_text("#found")
    assert page.locator("#details").is_visible()
    # the camera moved to it: it is near the centre of the graph's box
    x, y = node_point(page, target)
    box = page.locator("#graph").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 40 and abs(y - (box["y"] + box["height"] / 2)) < 40
    page.close()


def test_a_filter_hides_a_label(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    drawn = page.evaluate("kgGraph.order")
    indicators = sum(1 for v, d in g.nodes(data=True) if d["label"] == "Indicator" and g.degree(v) > 0)
    assert indicators > 0
    page.uncheck("#labels input[data-key='Indicator']")
    assert page.evaluate("kgVisibleNodes()") == drawn - indicators
    an_indicator = next(v for v, d in g.nodes(data=True) if d["label"] == "Indicator" and g.degree(v) > 0)
    assert page.evaluate("id => kgRenderer.getNodeDisplayData(id).hidden", an_indicator) is True
    page.check("#labels input[data-key='Indicator']")
    assert page.evaluate("kgVisibleNodes()") == drawn
    page.close()


def test_document_text_cannot_inject_script(browser, tmp_path):
    evil = ("对第9号提案的答复\n\n吴十委员：\n您提出的《关于<script>window.__pwned=1</script>的建议》收悉。\n"
            "联合省财政厅出台《浙江省</script><script>window.__pwned=2</script>方案》。"
            "举办“<img src=x onerror=window.__pwned=3>论坛”。\n\n浙江省科学技术厅\n2023年3月4日\n")
    store = EmbeddedStore(tmp_path / "store")
    store.load([finalize(extract(RawDocument("evil", evil)))])
    assert any("</script>" in d["name"] for _, d in store.g.nodes(data=True))   # the text really is in the graph
    out = tmp_path / "evil.html"
    viz.write_html(store.g, out, title="<script>window.__pwned=4</script>")
    page, leaks = open_page(browser, out)
    page.fill("#search", "浙江省")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert leaks == []
    assert "<script>" in page.title()            # shown as text, not run
    assert "<script>" in page.inner_text("#details") or "<img" in page.inner_text("#details") or \
        "浙江省" in page.inner_text("#details")
    page.close()


def test_every_view_of_the_cli_opens_with_evidence(browser, seed_store, tmp_path):
    """Each view kg viz writes, opened as an analyst opens it: a screenshot each."""
    g = seed_store.g
    docs = viz.document_index(g)
    views = {"focus": viz.focus_view(g, "省科技厅", 2), "document": viz.document_view(g, "jilin-kjt-2022-L37"),
             "co-issuance": viz.co_issuance_view(g)}
    for name, (sub, what) in views.items():
        out = tmp_path / f"{name}.html"
        viz.write_html(sub, out, title=f"kg — {what}", documents=docs)
        page, leaks = open_page(browser, out)
        assert leaks == [] and what in page.inner_text("#title")
        spot = clear_edge_point(page, min_length=40)
        assert spot, name
        shot(page, name)
        page.mouse.move(spot["x"], spot["y"])
        page.wait_for_function("(document.body.dataset.hovered || '').startsWith('edge:')", timeout=5000)
        assert tip_inside_viewport(page)
        page.close()


@pytest.fixture(scope="module")
def large_html(tmp_path_factory):
    """A 5,000-node page from synthetic letters (benchmarks/synthetic.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic
    d = tmp_path_factory.mktemp("large")
    corpus = synthetic.write_corpus(d, 420, seed=11, with_gold=False)
    store = EmbeddedStore(d / "store")
    store.load([extract_one(p) for p in sorted(corpus.glob("*.txt"))])
    g, note = viz.limit(store.g, 5000)
    out = d / "large.html"
    viz.write_html(g, out, title="kg — 5,000 nodes", note=note, documents=viz.document_index(store.g))
    return out, g


def test_a_5000_node_page_is_interactive(browser, large_html):
    html, g = large_html
    assert 4000 <= g.number_of_nodes() <= 5000
    start = time.monotonic()
    page, leaks = open_page(browser, html, timeout=180000)
    interactive = time.monotonic() - start
    assert leaks == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "viz-timing.txt").write_text(
        f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships, {html.stat().st_size / 1e6:.1f} MB: "
        f"interactive {interactive:.1f} s after opening (layout {page.evaluate('document.body.dataset.layoutMs')} ms, "
        f"script {page.evaluate('document.body.dataset.readyMs')} ms)\n", encoding="utf-8")
    # the most important node; in a crowd another may be drawn over it, so take the one the pointer finds
    hub = max(g, key=lambda v: viz.importance(g)[v])
    spot = node_point(page, hub)
    page.mouse.move(*spot)
    page.wait_for_function("(document.body.dataset.hovered || '').startsWith('node:')", timeout=30000)
    node = page.evaluate("document.body.dataset.hovered").split(":", 1)[1]
    text = tip_inside_viewport(page)
    assert g.nodes[node]["name"] in text
    if g.nodes[node]["evidence"]:
        assert g.nodes[node]["evidence"][0]["sentence"] in text
    page.mouse.click(*spot)
    page.wait_for_function(f"document.body.dataset.pinned === 'node:{node}'", timeout=30000)
    details = page.locator("#details").inner_text()
    assert g.nodes[node]["name"] in details
    if g.nodes[node]["evidence"]:
        assert g.nodes[node]["evidence"][0]["sentence"] in details
    # with the panel open, pointing again still shows the tooltip beside it, not under it
    page.mouse.move(5, 5)
    page.mouse.move(*spot)
    page.wait_for_function(f"document.body.dataset.hovered === 'node:{node}'", timeout=30000)
    tip_inside_viewport(page)
    assert int(page.evaluate("document.body.dataset.labelled")) >= 10      # labels at the first zoom
    shot(page, "5000-nodes")
    page.close()


def test_views_of_the_cli(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.load([extract_one(SEED), extract_one(FIXTURES / "hubei-kjt-2023-101.txt")])
    co, _ = viz.co_issuance_view(store.g)
    names = {co.nodes[v]["name"] for v in co}
    assert "吉林省发展和改革委员会" in names and "湖北省财政厅" in names
    a = next(v for v in co if co.nodes[v]["name"] == "吉林省科学技术厅")
    b = next(v for v in co if co.nodes[v]["name"] == "吉林省教育厅")
    edge = co.get_edge_data(a, b) or co.get_edge_data(b, a)
    assert edge["CO_ISSUED"]["weight"] == 3        # the pilot plan, the burden-reduction plan, the SCI notice
    ego, _ = viz.focus_view(store.g, "共同体", depth=1)
    assert 10 < ego.number_of_nodes() < store.g.number_of_nodes()
    one, what = viz.document_view(store.g, "hubei-kjt-2023-101")
    assert all("hubei-kjt-2023-101" in d["docs"] for _, d in one.nodes(data=True))
    small, note = viz.limit(store.g, 20)
    assert small.number_of_nodes() <= 20 and f"of {store.g.number_of_nodes()} nodes" in note
    assert all(small.degree(v) > 0 for v in small)       # no node whose links the limit cut
    with pytest.raises(viz.ViewError):
        viz.focus_view(store.g, "没有这个机构")
