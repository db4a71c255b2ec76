"""Real-world inputs: every format and encoding of one letter gives one graph; bad files
fail with one clear line and leave the rest of the batch loaded."""
import html as htmlmod
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from kg.pipeline import extract_one
import loaders

LETTER = FIXTURES / "hubei-kjt-2023-101.txt"
TEXT = LETTER.read_text(encoding="utf-8")


def facts(path):
    g = extract_one(path)
    nodes = {(n.label, n.name) for n in g.nodes.values() if n.label not in ("Document",)}
    rels = {(r.type, g.nodes[r.source].name, g.nodes[r.target].name) for r in g.relationships.values()
            if g.nodes[r.source].label != "Document" and g.nodes[r.target].label != "Document"}
    doc = next(n for n in g.nodes.values() if n.label == "Document")
    return nodes, rels, (doc.name, doc.properties.get("doc_number"), doc.properties.get("date"))


@pytest.fixture(scope="module")
def reference():
    return facts(LETTER)


def page_html(text: str) -> str:
    """The letter as a government web page: navigation, a metadata block, the body, a footer."""
    paras = "".join(f"<p>{htmlmod.escape(l)}</p>" for l in text.split("\n"))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>答复_湖北省科学技术厅</title>
<script>var x = "收悉";</script><style>p {{ margin: 0 }}</style></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hdjl">互动交流</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 建议提案办理</div>
<table class="xxgk"><tr><td>索引号：</td><td>011043/2023-00045</td><td>发布机构：</td><td>湖北省科学技术厅</td></tr>
<tr><td>发布日期：</td><td>2023-06-20</td><td>文号：</td><td>鄂科函〔2023〕45号</td></tr></table>
<div id="zoom" class="article">{paras}</div>
<div class="footer">主办单位：某某网站 联系我们 网站地图 Copyright 2023</div></body></html>"""


def test_encodings_give_the_same_graph(tmp_path, reference):
    for name, data in (("utf8.txt", TEXT.encode("utf-8")), ("bom.txt", TEXT.encode("utf-8-sig")),
                       ("gbk.txt", TEXT.encode("gbk")), ("gb18030.txt", TEXT.encode("gb18030")),
                       ("utf16.txt", TEXT.encode("utf-16"))):
        (tmp_path / name).write_bytes(data)
        assert facts(tmp_path / name) == reference, name


def test_web_page_gives_the_same_graph_and_its_metadata(tmp_path, reference):
    p = tmp_path / "letter.html"
    p.write_text(page_html(TEXT), encoding="utf-8")
    nodes, rels, doc = facts(p)
    assert (nodes, rels, doc) == reference
    g = extract_one(p)
    d = next(n for n in g.nodes.values() if n.label == "Document")
    assert d.properties["index_number"] == "011043/2023-00045"
    text = loaders.read(p).text
    assert "首页" not in text and "Copyright" not in text and "var x" not in text
    # a page saved in GBK, named .htm, is read the same way
    q = tmp_path / "letter-gbk.htm"
    q.write_bytes(page_html(TEXT).replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    assert facts(q) == reference


def test_word_file_gives_the_same_graph(tmp_path, reference):
    import docx
    d = docx.Document()
    for line in TEXT.split("\n"):
        d.add_paragraph(line)
    d.save(tmp_path / "letter.docx")
    assert facts(tmp_path / "letter.docx") == reference
    # chosen by content, not extension
    (tmp_path / "letter-docx.txt").write_bytes((tmp_path / "letter.docx").read_bytes())
    assert facts(tmp_path / "letter-docx.txt") == reference


def test_pdf_gives_the_same_graph(tmp_path, reference):
    from test_viz_browser import CHROMIUM, FLAGS
    from playwright.sync_api import sync_playwright
    (tmp_path / "letter.html").write_text(
        "<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei';font-size:14px;width:560px}"
        "p{margin:0 0 6px 0}</style></head><body>"
        + "".join(f"<p>{htmlmod.escape(l) or '&nbsp;'}</p>" for l in TEXT.split("\n")) + "</body></html>",
        encoding="utf-8")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = b.new_page()
        page.goto((tmp_path / "letter.html").as_uri())
        page.pdf(path=str(tmp_path / "letter.pdf"), format="A4")
        b.close()
    assert (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF")
    assert facts(tmp_path / "letter.pdf") == reference


def test_traditional_characters(tmp_path, reference):
    import opencc
    trad = opencc.OpenCC("s2t").convert(TEXT)
    assert trad != TEXT and "湖北省科學技術廳" in trad
    p = tmp_path / "trad.txt"
    p.write_text(trad, encoding="utf-8")
    nodes, rels, doc = facts(p)
    assert nodes == reference[0] and rels == reference[1]     # names are simplified
    g = extract_one(p)
    raw = loaders.read(p)
    for r in g.relationships.values():
        for ev in r.evidence:
            assert ev.sentence in trad                          # evidence quotes the letter as published
            assert raw.published[ev.start:ev.end] and len(raw.text) == len(trad)
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(trad.encode("big5hkscs"))
    assert facts(big5)[:2] == reference[:2]


def test_simplified_letters_are_not_converted(tmp_path):
    # OpenCC's t2s also rewrites phrases that are good simplified Chinese: 沈思 (a name) → 沉思
    p = tmp_path / "shen.txt"
    p.write_text(TEXT.replace("委员：", "沈思委员：", 1), encoding="utf-8")
    raw = loaders.read(p)
    assert "沈思委员" in raw.text and raw.original == ""


def kg(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True)


def test_bad_inputs_fail_clearly_and_the_rest_loads(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "notareply.txt").write_text("今天天气很好，我们去公园散步。", encoding="utf-8")
    (bad / "truncated.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (bad / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    with open(bad / "huge.txt", "wb") as f:
        f.truncate(50 * 1024 * 1024)
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    unreadable = "/proc/self/mem" if os.geteuid() == 0 else str(tmp_path / "locked.txt")
    if os.geteuid() != 0:
        Path(unreadable).write_text(TEXT, encoding="utf-8")
        os.chmod(unreadable, 0)
    p = kg("load", "--store", tmp_path / "store", bad, good, tmp_path / "missing.txt", unreadable, cwd=tmp_path)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    lines = [l for l in p.stderr.splitlines() if l.startswith("kg: ")]
    expect = {"empty.txt": "empty file", "binary.txt": "not a text document", "notareply.txt": "not a reply letter",
              "truncated.docx": "damaged or truncated Word file", "truncated.pdf": "damaged or truncated PDF",
              "huge.txt": "too large", "missing.txt": "no such file", Path(unreadable).name: "cannot read"}
    for name, reason in expect.items():
        assert any(name in l and reason in l for l in lines), (name, reason, lines)
    assert len(lines) == len(expect)
    assert "loaded 1 document(s)" in p.stdout and f"{len(expect)} failed" in p.stdout
    stats = json.loads(kg("stats", "--store", tmp_path / "store", "--format", "json", cwd=tmp_path).stdout)
    assert stats["documents"] == 1
    assert "" == kg("load", "--store", tmp_path / "store", good, cwd=tmp_path).stderr   # no progress bar into a pipe


def test_globs_and_folders(tmp_path):
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "skip.json").write_text("{}")
    assert [p.name for p in loaders.iter_paths([tmp_path / "a*.txt"])] == ["a0.txt", "a1.txt", "a2.txt"]
    assert len(loaders.iter_paths([tmp_path])) == 3
