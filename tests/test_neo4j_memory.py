"""The local server's memory: a fixed heap and page cache sized from the machine (or given), and
a batch of letters whose transaction needs more than the server grants one is written in
smaller transactions, each letter still whole; one letter too big for it is one clear line.
Against a real server of its own, started as a user would, with its transactions capped."""
import json
import os
from pathlib import Path

import pytest

from conftest import ROOT, free_port, run_kg
from kg.server import LocalServer, ServerError, memory_settings

LETTERS = ROOT / "tests" / "genre_letters" / "corpus"
# db.memory.transaction.max of the capped server (its least is 1 MiB, where the database cannot
# start): the 48 letters need about 6 MiB in one transaction, three of them fit
TX_CAP = "2m"


def test_sizes_come_from_the_machine_unless_given(monkeypatch):
    for k in ("KG_NEO4J_HEAP", "KG_NEO4J_PAGECACHE", "KG_NEO4J_TX_MEMORY"):
        monkeypatch.delenv(k, raising=False)
    total_mib = (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) >> 20
    m = memory_settings()
    assert m.heap == f"{min(max(total_mib // 8, 1024), 8192)}m"
    assert m.pagecache == f"{min(max(total_mib // 4, 512), 16384)}m"
    assert m.tx_memory == "0"
    monkeypatch.setenv("KG_NEO4J_HEAP", "2g")
    monkeypatch.setenv("KG_NEO4J_TX_MEMORY", "64m")
    assert memory_settings() == memory_settings(None, None)
    assert (memory_settings().heap, memory_settings().tx_memory) == ("2g", "64m")
    for bad in ("2 g", "-1g", "2g; rm", "lots"):
        monkeypatch.setenv("KG_NEO4J_HEAP", bad)
        with pytest.raises(ServerError, match="KG_NEO4J_HEAP"):
            memory_settings()


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """A server of its own whose transactions may take TX_MEMORY each."""
    env = {"KG_NEO4J_HOME": str(tmp_path_factory.mktemp("capped-home")), "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
           "KG_NEO4J_ALLOW_ROOT": "1", "KG_NEO4J_HEAP": "1g"}
    yield env
    run_kg("neo4j", "stop", env=env)
    assert not LocalServer(Path(env["KG_NEO4J_HOME"]), None, 0).pid()


def _start(env):
    p = run_kg("neo4j", "start", env={**env, "KG_NEO4J_TX_MEMORY": TX_CAP})
    assert p.returncode == 0, p.stderr
    cmd = open(f"/proc/{LocalServer(Path(env['KG_NEO4J_HOME']), None, 0).pid()}/cmdline", "rb").read().split(b"\0")
    assert b"-Xms1g" in cmd and b"-Xmx1g" in cmd and TX_CAP.encode() in cmd


def test_a_batch_too_big_for_a_transaction_is_written_in_parts(capped, tmp_path):
    _start(capped)
    # the whole folder in one batch: more than one transaction may hold
    p = run_kg("load", "--neo4j", "--batch", "500", LETTERS, env=capped)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    p2 = run_kg("load", "--store", tmp_path / "emb", LETTERS)
    assert p2.returncode == 0, p2.stderr
    neo = json.loads(run_kg("stats", "--neo4j", "--format", "json", env=capped).stdout)
    emb = json.loads(run_kg("stats", "--store", tmp_path / "emb", "--format", "json").stdout)
    assert neo == emb and neo["documents"] == len(list(LETTERS.glob("*.txt")))
    # loading them again changes nothing
    again = run_kg("load", "--neo4j", "--batch", "500", LETTERS, env=capped)
    assert again.returncode == 0, again.stderr
    assert json.loads(run_kg("stats", "--neo4j", "--format", "json", env=capped).stdout) == neo


def test_one_letter_too_big_for_a_transaction_is_one_line(capped, tmp_path):
    _start(capped)
    # one file holding every letter: more facts than one capped transaction holds
    big = tmp_path / "big-letter.txt"
    big.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in sorted(LETTERS.glob("*.txt"))), encoding="utf-8")
    p = run_kg("load", "--neo4j", big, env=capped)
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    line, = [x for x in p.stderr.splitlines() if "big-letter" in x]
    assert "KG_NEO4J_HEAP" in line and "more memory than the Neo4j server grants a transaction" in line
