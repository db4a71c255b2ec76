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


def word_bomb(path: Path, megabytes: int) -> Path:
    """A real Word file whose document.xml unpacks to `megabytes` MB (compressing to ~0.4%)."""
    import io
    import zipfile
    import docx
    d = docx.Document()
    d.add_paragraph("关于建议的答复")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    para = "<w:p><w:r><w:t>" + "收悉答复" * 50 + "</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                s = data.decode()
                k = s.index("<w:body>") + len("<w:body>")
                data = (s[:k] + para * (megabytes * 2**20 // len(para.encode())) + s[k:]).encode()
            z.writestr(info, data)
    return path


def test_a_word_file_that_unpacks_too_far_is_refused_unparsed(tmp_path):
    """A 447 KB .docx expanding to 100 MB took 37 s and 784 MB; a 4 MB one died of MemoryError."""
    import resource
    bomb = word_bomb(tmp_path / "bomb.docx", 100)
    assert bomb.stat().st_size < 1 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(loaders.LoadError) as e:
        loaders.read(bomb)
    assert "bomb.docx: too large for a reply letter: unpacks to 101 MB (word/document.xml alone 100 MB" in str(e.value)
    assert "KG_MAX_UNPACKED" in str(e.value)
    # refused from the zip directory: nothing was unpacked (a parse would have cost hundreds of MB)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024
    # one line from the command, the rest of the batch loads
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    r = kg("load", "--store", tmp_path / "store", bomb, good, cwd=tmp_path)
    assert r.returncode == 1 and "loaded 1 document(s)" in r.stdout, r.stdout + r.stderr
    assert [l for l in r.stderr.splitlines() if l.startswith("kg: ")] == [f"kg: {e.value}"]
    # past a raised limit, the text of a Word file is bounded too (KG_MAX_CHARS)
    small = word_bomb(tmp_path / "small.docx", 8)
    r = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(small)], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "KG_MAX_UNPACKED": str(10 << 20)})
    assert r.returncode == 1 and "characters of text (limit 2,000,000, set KG_MAX_CHARS" in r.stderr, r.stderr


def test_pdf_pages_and_text_are_bounded(tmp_path, monkeypatch):
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(minimal_pdf(["reply page %d" % i for i in range(12)]))
    monkeypatch.setattr(loaders, "REPLY_MARKS", ("reply",))     # Helvetica writes no Chinese
    assert "page 11" in loaders.read(pdf).text
    monkeypatch.setattr(loaders, "MAX_PAGES", 10)
    with pytest.raises(loaders.LoadError, match="many.pdf: too large for a reply letter: more than 10 pages"):
        loaders.read(pdf)
    monkeypatch.setattr(loaders, "MAX_PAGES", 300)
    monkeypatch.setattr(loaders, "MAX_CHARS", 50)
    with pytest.raises(loaders.LoadError, match="text layer longer than 50 characters.*KG_MAX_CHARS"):
        loaders.read(pdf)


def minimal_pdf(pages: list[str]) -> bytes:
    """A valid PDF with one line of Latin text per page (Helvetica), written by hand."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode()
        objs.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        content = len(objs)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
                    f"/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def as_user_without_rights(fn):
    """Run fn() where file permissions apply: as this user when it is not root, else in a forked
    child that has dropped to nobody (CI runs as root, and root reads everything). Returns what
    fn returned, which must be JSON."""
    if os.geteuid() != 0:
        return fn()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                       # the child: give up root for good, then run
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            out = json.dumps(fn())
        except BaseException as e:     # noqa: BLE001 — report anything to the parent
            out = json.dumps({"child_error": repr(e)})
        with os.fdopen(w, "w") as f:
            f.write(out)
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        data = f.read()
    os.waitpid(pid, 0)
    result = json.loads(data)
    assert not (isinstance(result, dict) and "child_error" in result), result
    return result


def run_cli(*args) -> dict:
    """kg's main() in this process (so that it can run as another user), its output captured."""
    import contextlib
    import io
    from kg.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


@pytest.fixture
def open_tmp():
    """A folder every user can enter (pytest's tmp_path is private to root)."""
    import shutil
    import tempfile
    d = Path(tempfile.mkdtemp(prefix="kg-test-"))
    d.chmod(0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(d)


def test_nothing_named_is_skipped_silently(open_tmp):
    """An unreadable folder was skipped with "0 failed" and exit 0; .doc/.wps files, symlinked
    folders and globs that match nothing were skipped without a word; a self-looping symlink was
    "no such file"."""
    root = open_tmp
    letters = root / "letters"
    (letters / "sub").mkdir(parents=True)
    (letters / "good.txt").write_text(TEXT, encoding="utf-8")
    (letters / "sub" / "also-good.txt").write_text(TEXT.replace("答复", "答复。", 1), encoding="utf-8")
    (letters / "old.doc").write_bytes(loaders.OLE_MAGIC + b"\0" * 600)
    (letters / "wps-letter.wps").write_bytes(loaders.OLE_MAGIC + b"\0" * 600)
    (letters / "notes.json").write_text("{}")
    (letters / "locked").mkdir()
    (letters / "locked" / "hidden.txt").write_text(TEXT, encoding="utf-8")
    (letters / "locked").chmod(0o300)                     # no read permission: cannot be listed
    (letters / "secret.txt").write_text(TEXT.replace("答复", "答复！", 1), encoding="utf-8")
    (letters / "secret.txt").chmod(0o200)
    (letters / "loop.txt").symlink_to("loop.txt")         # a link to itself
    (letters / "gone.txt").symlink_to("nowhere.txt")
    (letters / "back").symlink_to("..")                    # folder links inside folders are not followed
    other = root / "other"
    other.mkdir()
    (other / "linked-letter.txt").write_text(TEXT.replace("答复", "答复；", 1), encoding="utf-8")
    (letters / "other.txt").symlink_to(other / "linked-letter.txt")   # file links are
    empty = root / "empty"
    empty.mkdir()
    store = root / "store"
    store.mkdir()
    store.chmod(0o777)
    run_cli("extract", other)                              # import what main() needs while we can
    run_cli("load", "--store", root / "warm", other)
    res = as_user_without_rights(lambda: run_cli("load", "--store", store, letters, root / "none-*.txt", empty,
                                                 root / "missing.txt"))
    assert res["code"] == 1, res
    assert "Traceback" not in res["stderr"]
    lines = [l for l in res["stderr"].splitlines() if l.startswith("kg: ") and "skipped" not in l]
    expect = {f"{letters / 'locked'}: cannot read folder (Permission denied)",
              f"{letters / 'secret.txt'}: cannot read (Permission denied)",
              f"{letters / 'old.doc'}: unsupported format: Word 97-2003 (.doc)",
              f"{letters / 'wps-letter.wps'}: unsupported format: WPS (.wps)",
              f"{letters / 'loop.txt'}: symlink loop",
              f"{letters / 'gone.txt'}: broken symlink (to nowhere.txt)",
              f"{root / 'none-*.txt'}: no file matches this pattern",
              f"{empty}: no documents in this folder",
              f"{root / 'missing.txt'}: no such file"}
    for e in expect:
        assert any(l.startswith("kg: " + e) for l in lines), (e, lines)
    assert len(lines) == len(expect), lines
    assert "loaded 3 document(s)" in res["stdout"] and f"{len(expect)} failed" in res["stdout"], res
    assert "kg: skipped 2 file(s)" in res["stderr"], res      # notes.json, and the folder link
    # --verbose names them
    res = as_user_without_rights(lambda: run_cli("extract", "-v", letters))
    assert res["code"] == 1
    assert f"kg: skipped {letters / 'notes.json'}: not a letter's format (.json)" in res["stderr"]
    assert f"kg: skipped {letters / 'back'}: a symlink to a folder, not followed (name it to read it: ..)" in res["stderr"]
    # a named folder that holds only other files is a failure too
    (empty / "readme.md.bak").write_text("x")
    res = run_cli("extract", empty)
    assert res["code"] == 1 and "no documents in this folder (1 other file(s); --verbose lists them)" in res["stderr"]
