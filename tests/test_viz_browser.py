"""The HTML graph in a real headless Chromium (Debian's package, installed by ./run test)."""
import os
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: ./run test installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def open_page(browser, html: Path):
    """Open a file with every request recorded; anything not the file itself is a leak."""
    # bypass_csp: the page's own CSP would block requests too; the test must see the page's behaviour without it
    page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    leaks = []
    page.route("**/*", lambda route: (route.continue_() if route.request.url.startswith("file:")
                                      else (leaks.append(route.request.url), route.abort())))
    page.goto(html.as_uri())
    page.wait_for_function("document.body.dataset.ready === '1'", timeout=60000)
    return page, leaks


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory):
    d = tmp_path_factory.mktemp("viz")
    store = EmbeddedStore(d / "store")
    store.load([extract_one(SEED)])
    out = d / "graph.html"
    viz.write_html(store.g, out, title="seed")
    return out, store.g


def test_page_loads_offline_and_draws_every_node(browser, seed_html):
    html, g = seed_html
    page, leaks = open_page(browser, html)
    assert leaks == []
    assert page.evaluate("Object.keys(kgNetwork.getPositions()).length") == g.number_of_nodes()
    # the canvas really has something drawn on it
    drawn = page.evaluate("""(() => { const c = document.querySelector('#graph canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n; })()""")
    assert drawn > 5000
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-seed.png"))
    page.close()


def test_search_focuses_the_node_by_alias(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    page.fill("#search", "省科技厅")
    target = next(v for v, d in g.nodes(data=True) if d["name"] == "吉林省科学技术厅")
    assert page.evaluate("document.body.dataset.focused") == target
    assert page.evaluate("kgNetwork.getSelectedNodes()") == [target]
    assert "吉林省科学技术厅" in page.inner_text("#found")
    page.close()


def test_a_filter_hides_a_label(browser, seed_html):
    html, g = seed_html
    page, _ = open_page(browser, html)
    indicators = sum(1 for _, d in g.nodes(data=True) if d["label"] == "Indicator")
    assert indicators > 0
    page.uncheck("#labels input[data-key='Indicator']")
    assert page.evaluate("kgNodesView.length") == g.number_of_nodes() - indicators
    assert page.evaluate("Object.keys(kgNetwork.getPositions()).length") == g.number_of_nodes() - indicators
    page.check("#labels input[data-key='Indicator']")
    assert page.evaluate("kgNodesView.length") == g.number_of_nodes()
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
    one, _ = viz.document_view(store.g, "hubei-kjt-2023-101")
    assert all("hubei-kjt-2023-101" in d["docs"] for _, d in one.nodes(data=True))
    small, note = viz.limit(store.g, 20)
    assert small.number_of_nodes() == 20 and f"of {store.g.number_of_nodes()} nodes" in note
    with pytest.raises(viz.ViewError):
        viz.focus_view(store.g, "没有这个机构")
