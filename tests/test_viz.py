"""The page's data, without a browser: colours that can be told apart, and compact data."""
import itertools
import json
import re

from conftest import FIXTURES, SEED
from kg import viz
from kg.pipeline import extract_one
from kg.schema import load_schema
from kg.store import EmbeddedStore


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour (D65)."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
    x = (lin[0] * 0.4124 + lin[1] * 0.3576 + lin[2] * 0.1805) / 0.95047
    y = lin[0] * 0.2126 + lin[1] * 0.7152 + lin[2] * 0.0722
    z = (lin[0] * 0.0193 + lin[1] * 0.1192 + lin[2] * 0.9505) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _distance(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


def test_no_two_relationship_types_or_labels_look_alike():
    schema = load_schema()
    for group in (schema.relationships, schema.labels):
        colours = {k: v["colour"] for k, v in group.items()}
        assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colours.values())
        worst = min((_distance(colours[a], colours[b]), a, b) for a, b in itertools.combinations(colours, 2))
        assert worst[0] >= 25, f"{worst[1]} and {worst[2]} look alike (ΔE {worst[0]:.1f})"


def test_page_data_is_compact_and_complete(tmp_path):
    store = EmbeddedStore(tmp_path / "s")
    store.load([extract_one(SEED), *(extract_one(p) for p in sorted(FIXTURES.glob("*.txt")))])
    g = store.g
    html = viz.render(g, title="t")
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["ids"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()
    assert data["nDrawn"] == sum(1 for v in g if g.degree(v) > 0)
    # every sentence once
    assert len(data["sentences"]) == len(set(data["sentences"]))
    # documents by title and date
    docs = {d[0]: d for d in data["docs"]}
    assert docs["jilin-kjt-2022-L37"][1:3] == ["对省政协十二届五次会议第L37号委员提案的答复", "2022-07-06"]
    # an edge's evidence is the store's
    u, v, k, d = next((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if d["evidence"])
    i = next(i for i, e in enumerate(data["edges"]) if data["ids"][e[0]] == u and data["ids"][e[1]] == v
             and data["types"][e[2]][0] == k)
    assert data["sentences"][data["edgeInfo"][i]["e"][0][1]] == d["evidence"][0]["sentence"]
    # no request leaves the page: no src or href attribute anywhere outside the inlined data
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
