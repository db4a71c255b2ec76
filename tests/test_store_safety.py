"""The embedded store under real conditions, through the real `kg` command: two loaders at
once, kill -9 of the loader (and its workers) then a rerun, Ctrl-C, a reader during a write,
same-named files in two folders, the same letter under two names, an old or damaged store."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEED

sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]


def env():
    e = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    e.pop("KG_STORE", None)
    return e


def kg(*args, cwd, check=True):
    p = subprocess.run([*KG, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env())
    if check and p.returncode != 0:
        raise AssertionError(f"kg {args} failed ({p.returncode}): {p.stderr}")
    return p


def start(*args, cwd):
    return subprocess.Popen([*KG, *map(str, args)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env())


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """80 synthetic letters in corpus/, and the same letters as two overlapping halves."""
    root = tmp_path_factory.mktemp("letters")
    synthetic.write_corpus(root, 80, with_gold=False)
    files = sorted((root / "corpus").glob("*.txt"))
    for name, part in (("first", files[:50]), ("second", files[30:])):
        (root / name).mkdir()
        for f in part:
            (root / name / f.name).write_bytes(f.read_bytes())
    return root


def graph_of(store_dir, cwd) -> dict:
    """The store exported as JSON, in an order that does not depend on load order."""
    out = cwd / f"export-{time.monotonic_ns()}.json"
    kg("export", "--store", store_dir, "--format", "json", "-o", out, cwd=cwd)
    g = json.loads(out.read_text(encoding="utf-8"))
    nodes = sorted(g["nodes"], key=lambda n: n["id"])
    for n in nodes:
        n["properties"].pop("source", None)      # where the file was read from: not what it says
    rels = sorted(g["relationships"], key=lambda r: (r["type"], r["source"], r["target"]))
    return {"nodes": nodes, "relationships": rels}


@pytest.fixture(scope="module")
def clean(letters, tmp_path_factory):
    """The graph of one uninterrupted load of all 80 letters."""
    cwd = tmp_path_factory.mktemp("clean")
    kg("load", "--store", cwd / "store", letters / "corpus", cwd=cwd)
    return graph_of(cwd / "store", cwd)


def documents_in(store_dir) -> int:
    f = store_dir / "kg.sqlite"
    if not f.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{f}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def wait_for(store_dir, n: int, proc, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        have = documents_in(store_dir)
        if have >= n:
            return have
        time.sleep(0.05)
    return documents_in(store_dir)


def test_two_loaders_at_once_lose_nothing(letters, clean, tmp_path):
    store = tmp_path / "store"
    a = start("load", "--store", store, "--batch", "10", letters / "first", cwd=tmp_path)
    b = start("load", "--store", store, "--batch", "10", letters / "second", cwd=tmp_path)
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, (err_a, err_b)
    assert "Traceback" not in err_a + err_b
    stats = json.loads(kg("stats", "--store", store, "--format", "json", cwd=tmp_path).stdout)
    assert stats["documents"] == 80
    assert graph_of(store, tmp_path) == clean


def test_a_reader_during_a_write_sees_whole_batches(letters, tmp_path):
    store = tmp_path / "store"
    loader = start("load", "--store", store, "--batch", "10", letters / "corpus", cwd=tmp_path)
    seen = []
    while loader.poll() is None:
        if not store.exists():          # before the loader made it, there is no store to read (kg stats: exit 2)
            time.sleep(0.02)
            continue
        p = kg("stats", "--store", store, "--format", "json", cwd=tmp_path, check=False)
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
        seen.append(json.loads(p.stdout)["documents"])
    assert loader.returncode == 0, loader.stderr.read()
    assert all(n % 10 == 0 for n in seen), seen        # never part of a batch
    assert len(set(seen)) > 1                           # the reader did read while the writer wrote


@pytest.mark.parametrize("jobs,after", [(1, 0), (1, 10), (1, 40), (2, 20)])
def test_kill_9_then_rerun_gives_the_clean_graph(letters, clean, tmp_path, jobs, after):
    import psutil
    store = tmp_path / "store"
    loader = start("load", "--store", store, "--batch", "10", "--jobs", jobs, letters / "corpus", cwd=tmp_path)
    if after:
        wait_for(store, after, loader)
    else:
        time.sleep(0.5)
    workers = psutil.Process(loader.pid).children(recursive=True)
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    kept = documents_in(store)
    assert kept % 10 == 0 and (after == 0 or kept >= after)
    # the store is readable as it is
    if store.exists():                  # killed before it made the store: there is nothing to read yet
        assert kg("stats", "--store", store, "--format", "json", cwd=tmp_path).returncode == 0
    again = kg("load", "--store", store, letters / "corpus", cwd=tmp_path)
    assert f"{80 - kept} document(s)" in again.stdout and f"{kept} unchanged" in again.stdout
    assert graph_of(store, tmp_path) == clean
    # workers of a killed loader do not linger
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_keeps_committed_batches_and_says_so(letters, tmp_path, jobs):
    store = tmp_path / "store"
    # Ctrl-C on a terminal signals the loader's whole process group, workers included
    loader = subprocess.Popen([*KG, "load", "--store", str(store), "--batch", "10", "--jobs", str(jobs),
                               str(letters / "corpus")], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env(), start_new_session=True)
    wait_for(store, 20, loader)
    os.killpg(loader.pid, signal.SIGINT)
    out, err = loader.communicate(timeout=60)
    assert loader.returncode == 130, err
    assert "Traceback" not in err
    kept = documents_in(store)
    assert kept >= 20 and f"interrupted: {kept} document(s) kept" in err
    assert len(err.strip().splitlines()) == 1, err


def test_same_named_files_in_two_folders_are_two_documents(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    for folder, extra in (("a", ""), ("b", "\n另：本件为第二份。\n")):
        (tmp_path / "pages" / folder).mkdir(parents=True)
        (tmp_path / "pages" / folder / "index.txt").write_text(text + extra, encoding="utf-8")
    p = kg("load", tmp_path / "pages", cwd=tmp_path)
    assert "loaded 2 document(s) (0 replaced)" in p.stdout
    docs = json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout)["documents"]
    assert docs == 2
    found = kg("query", "documents_mentioning", "--param", "name=吉林省科学技术厅", "--format", "json", cwd=tmp_path)
    assert {r["doc"] for r in json.loads(found.stdout)} == {"a/index", "b/index"}
    # the file itself given: its stem
    kg("load", "--store", tmp_path / "one", tmp_path / "pages" / "a" / "index.txt", cwd=tmp_path)
    assert "removed 1" in kg("remove", "--store", tmp_path / "one", "index", cwd=tmp_path).stdout


def test_the_same_letter_under_two_names_is_counted_once(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("jilin.txt", "copy-of-jilin.txt"):
        (tmp_path / "in" / name).write_bytes(SEED.read_bytes())
    p = kg("load", tmp_path / "in", cwd=tmp_path)
    assert "loaded 1 document(s)" in p.stdout and "1 duplicate(s)" in p.stdout
    assert "duplicate: jilin has the same content as copy-of-jilin (counted once)" in p.stderr
    assert json.loads(kg("stats", "--format", "json", cwd=tmp_path).stdout)["documents"] == 1


def test_an_old_store_is_refused_with_how_to_reload(tmp_path):
    (tmp_path / "kg-data").mkdir()
    (tmp_path / "kg-data" / "graph.json.gz").write_bytes(b"\x1f\x8b old")
    p = kg("stats", cwd=tmp_path, check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert "graph.json.gz" in p.stderr and "older format" in p.stderr and "kg load --store" in p.stderr


def test_a_damaged_store_gives_one_line(tmp_path):
    (tmp_path / "kg-data").mkdir()
    (tmp_path / "kg-data" / "kg.sqlite").write_bytes(b"this is not a database" * 100)
    for cmd in (("stats",), ("load", SEED), ("query", "members", "--param", "of=x")):
        p = kg(*cmd, cwd=tmp_path, check=False)
        assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and "kg.sqlite: damaged store" in p.stderr


def test_store_file_mode_and_orphan_temp_files(tmp_path):
    (tmp_path / "kg-data").mkdir()
    orphan = tmp_path / "kg-data" / ".graph-abc123.tmp"
    orphan.write_bytes(b"x" * 1000)
    old = os.umask(0o022)
    try:
        kg("load", SEED, cwd=tmp_path)
    finally:
        os.umask(old)
    assert not orphan.exists()
    assert (tmp_path / "kg-data" / "kg.sqlite").stat().st_mode & 0o777 == 0o644


def test_a_second_writer_waits_with_a_message(tmp_path):
    kg("load", SEED, cwd=tmp_path)
    holder = sqlite3.connect(tmp_path / "kg-data" / "kg.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")           # another writer, mid-batch
    loader = start("load", ROOT / "tests" / "fixtures", cwd=tmp_path)
    line = loader.stderr.readline()
    assert "waiting for another process writing to" in line and "kg.sqlite" in line
    assert loader.poll() is None
    holder.execute("ROLLBACK")
    holder.close()
    out, err = loader.communicate(timeout=120)
    assert loader.returncode == 0, err
    assert "loaded" in out


def test_named_queries_on_the_embedded_store_build_no_rdf(tmp_path, monkeypatch, capsys):
    from kg import cli, rdf
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    assert cli.main(["load", str(SEED)]) == 0

    def no(*a, **k):
        raise AssertionError("the whole store was converted to RDF")
    monkeypatch.setattr(rdf, "to_rdf", no)
    capsys.readouterr()
    assert cli.main(["query", "members", "--param", "of=共同体", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 10
