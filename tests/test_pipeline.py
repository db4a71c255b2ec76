"""Many letters at once: shards, workers that die, letters already in the store, and kg extract's
output growing with its input."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, SEED
from kg import pipeline, shards
from kg.pipeline import extract_one

LETTERS = sorted(FIXTURES.glob("*.txt")) + [SEED]


def kg(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def copies(folder: Path, n: int) -> list[Path]:
    """n distinct letters (each fixture under several ids)."""
    folder.mkdir(exist_ok=True)
    out = []
    for i in range(n):
        src = LETTERS[i % len(LETTERS)]
        p = folder / f"{src.stem}-{i:03d}.txt"
        p.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        out.append(p)
    return out


def same(a, b):
    return a.as_dict() == b.as_dict()


def test_a_shard_gives_back_the_graphs_it_was_given():
    for p in LETTERS:
        g = extract_one(p)
        entries = shards.loads(shards.dumps([("ok", str(p), shards.encode_graph(g))]))
        assert same(shards.decode_graph(entries[0][2]), g)
        # one string per sentence, however many facts quote it: written once, read back as one object
        _, _, nodes, rels = entries[0][2]
        sentences = [e[3] for x in nodes for e in x[6]] + [e[3] for x in rels for e in x[4]]
        assert len(sentences) > len(set(sentences)) > 1
        assert len({id(s) for s in sentences}) == len(set(sentences))


def test_workers_give_the_same_graphs_in_the_same_order(tmp_path):
    paths = copies(tmp_path / "in", 40)
    one = list(pipeline._results(paths, 1))
    two = list(pipeline._results(paths, 2, chunk=3))
    assert [p for p, _, _ in two] == paths
    assert all(k == "ok" for _, k, _ in two)
    assert all(same(a[2], b[2]) for a, b in zip(one, two))


POISON = "poison"


def kill_on_poison(paths, known=None, out_dir=None, ids=None):
    """A worker's work that dies outright (SIGKILL, as the OOM killer does) on a letter named poison."""
    if any(POISON in Path(p).name for p in paths):
        os.kill(os.getpid(), signal.SIGKILL)
    return pipeline.extract_shard(paths, known, out_dir, ids)


def test_a_worker_that_dies_costs_only_its_own_letter(tmp_path):
    paths = copies(tmp_path / "in", 30)
    poison = tmp_path / "in" / f"{POISON}.txt"
    poison.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    todo = paths[:10] + [poison] + paths[10:]
    out = list(pipeline._results(todo, 2, chunk=4, work=kill_on_poison))
    assert [p for p, _, _ in out] == todo
    bad = [(p, x) for p, k, x in out if k == "err"]
    assert [p for p, _ in bad] == [poison]
    assert "worker extracting it died (signal 9" in bad[0][1]
    assert sum(k == "ok" for _, k, _ in out) == 30          # its chunk-mates were tried again, alone


def test_known_letters_are_not_extracted_again(tmp_path):
    paths = copies(tmp_path / "in", 6)
    import loaders
    raws = [loaders.read(p) for p in paths]
    known = {(r.doc_id, r.content_hash) for r in raws[:4]}
    known.add((raws[4].doc_id, "0" * 16))      # same id, other content: extracted again
    unchanged, failed = [], []
    graphs = list(pipeline.stream_graphs(paths, failed, progress=False, known=known, unchanged=unchanged))
    assert unchanged == [r.doc_id for r in raws[:4]]
    assert [g.doc_id for g in graphs] == [r.doc_id for r in raws[4:]]
    # also on workers, and from a callable giving a mapping
    unchanged2 = []
    mapping = lambda: {d: h for d, h in known}
    out = list(pipeline.stream_graphs(paths, failed, progress=False, jobs=2, known=mapping, unchanged=unchanged2))
    assert unchanged2 == unchanged and [g.doc_id for g in out] == [g.doc_id for g in graphs] and not failed
    # the store's ids, when they are not the loader's (a/index, b/index)
    renamed = {(f"sub/{d}", h) for d, h in known}
    unchanged3 = []
    list(pipeline.stream_graphs(paths, failed, progress=False, jobs=2, known=renamed, unchanged=unchanged3,
                                doc_ids=lambda p: f"sub/{p.stem}"))
    assert unchanged3 == [f"sub/{d}" for d in unchanged]


def test_neo4j_reload_skips_unchanged_letters_before_extraction(tmp_path, neo4j_store):
    folder = tmp_path / "in"
    paths = copies(folder, 5)
    first = kg("load", "--neo4j", folder, cwd=tmp_path)
    assert first.returncode == 0 and "loaded 5 document(s)" in first.stdout, first.stdout + first.stderr
    import loaders
    assert neo4j_store.known_hashes() == {loaders.read(p).doc_id: loaders.read(p).content_hash for p in paths}
    # cmd_load hands the store's known_hashes to the pipeline: the four unchanged letters are
    # recognised by their content hash and never reach the extractor or the writer
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\n另：补充说明。", encoding="utf-8")
    again = kg("load", "--neo4j", folder, cwd=tmp_path)
    assert "loaded 1 document(s) (1 replaced), 4 unchanged, 0 failed" in again.stdout, again.stdout + again.stderr


def test_extract_output_grows_with_its_input(tmp_path):
    """1 MB of 《》 titles on one line wrote 20 GB: every mention repeated its whole sentence."""
    head = SEED.read_text(encoding="utf-8").split("\n")
    def letter(n):
        titles = "、".join(f"《关于推进第{i}项科技创新工作的实施意见》" for i in range(n))
        return "\n".join(head[:6] + [f"我们先后印发了{titles}等文件。"] + head[6:])
    sizes = []
    for n in (200, 800):
        p = tmp_path / f"titles-{n}.txt"
        p.write_text(letter(n), encoding="utf-8")
        r = kg("extract", p, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        long = max(out["sentences"], key=len)
        assert r.stdout.count(long[:40]) == 1              # the long sentence is written once
        ev = [e for n_ in out["nodes"] for e in n_["evidence"]]
        assert any(out["sentences"][e["sentence"]] == long for e in ev)
        sizes.append(len(r.stdout))
    assert sizes[1] < 6 * sizes[0]        # four times the titles: about four times the output, not sixteen


def test_the_slow_decoder_gives_the_same_graphs(monkeypatch):
    monkeypatch.setattr(shards, "_FAST", False)
    for p in LETTERS[:3]:
        g = extract_one(p)
        assert same(shards.decode_graph(shards.encode_graph(g)), g)


def test_extract_to_shards_then_read_them(tmp_path):
    paths = copies(tmp_path / "in", 20)
    poison = tmp_path / "in" / f"{POISON}.txt"
    poison.write_text("不是回复", encoding="utf-8")
    files = pipeline.extract_to_shards(paths[:7] + [poison] + paths[7:], tmp_path / "shards", jobs=2, chunk=4)
    assert len(files) == 6 and all(Path(f).parent == tmp_path / "shards" for f in files)
    got = list(pipeline.read_shards(files))
    assert [p for p, _, _ in got] == [str(p) for p in paths[:7] + [poison] + paths[7:]]
    assert [k for _, k, _ in got].count("err") == 1 and "not a reply letter" in got[7][2]
    assert all(same(g, extract_one(p)) for (_, k, g), p in zip(got[:7], paths[:7]))


def test_a_letter_past_the_worker_memory_limit_fails_alone(tmp_path):
    """KG_WORKER_MEMORY bounds each worker's address space: the 4 MB Word file that needed 3.9 GB
    is one "out of memory" line (here a 100 MB one, the unpacked limit raised, in 300 MB)."""
    from test_loaders import word_bomb
    folder = tmp_path / "in"
    copies(folder, 6)
    word_bomb(folder / "bomb.docx", 100)
    r = kg("load", "--store", tmp_path / "store", "--jobs", "2", folder, cwd=tmp_path,
           env={"KG_WORKER_MEMORY": str(300 << 20), "KG_MAX_UNPACKED": str(200 << 20)})
    assert r.returncode == 1, r.stdout + r.stderr
    lines = [l for l in r.stderr.splitlines() if l.startswith("kg: ")]
    assert len(lines) == 1 and "bomb.docx" in lines[0] and "out of memory" in lines[0], lines
    assert "loaded 6 document(s)" in r.stdout
