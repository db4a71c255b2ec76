"""The extraction job on a real Dask cluster: a LocalCluster of two worker processes."""
import json

import pytest

from test_pipeline import LETTERS, POISON, copies, kg, kill_on_poison, same

distributed = pytest.importorskip("distributed")
from kg import pipeline  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as c:
        yield c


def test_dask_gives_the_same_graphs_as_one_process(tmp_path, cluster):
    paths = copies(tmp_path / "in", 12)
    local = list(pipeline._results(paths, 1))
    on_dask = list(pipeline._results(paths, None, chunk=3, dask=cluster.scheduler_address))
    assert [p for p, _, _ in on_dask] == paths
    assert all(k == "ok" for _, k, _ in on_dask)
    assert all(same(a[2], b[2]) for a, b in zip(local, on_dask))
    # both workers took part
    assert len(cluster.scheduler_info["workers"]) == 2


def test_kg_load_on_dask_makes_the_same_store(tmp_path, cluster):
    folder = tmp_path / "in"
    copies(folder, 12)
    (folder / "not-a-letter.txt").write_text("今天天气很好。", encoding="utf-8")
    a = kg("load", "--store", tmp_path / "a", folder, cwd=tmp_path)
    b = kg("load", "--store", tmp_path / "b", "--dask", cluster.scheduler_address, folder, cwd=tmp_path)
    assert a.returncode == b.returncode == 1                          # the one bad file, on both
    # 12 files, 8 contents: the copies are duplicates, counted once (kg.store.identity)
    assert "loaded 8 document(s)" in b.stdout and "4 duplicate(s)" in b.stdout and "1 failed" in b.stdout, \
        b.stdout + b.stderr
    assert "not-a-letter.txt: not a reply letter" in b.stderr
    stats = [json.loads(kg("stats", "--store", tmp_path / s, "--format", "json", cwd=tmp_path).stdout) for s in "ab"]
    assert stats[0] == stats[1]
    # unchanged letters: known before extraction on the cluster too
    again = kg("load", "--store", tmp_path / "b", "--dask", cluster.scheduler_address, folder, cwd=tmp_path)
    assert "8 unchanged" in again.stdout and "4 duplicate(s)" in again.stdout   # the copies stay duplicates


def test_a_dask_worker_that_dies_costs_only_its_letter(tmp_path, cluster):
    paths = copies(tmp_path / "in", 8)
    poison = tmp_path / "in" / f"{POISON}.txt"
    poison.write_text(LETTERS[0].read_text(encoding="utf-8"), encoding="utf-8")
    todo = paths[:4] + [poison] + paths[4:]
    import dask
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        # the scheduler reads the setting when it is created: a cluster of its own for this test
        from distributed import LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0") as c:
            out = list(pipeline._results(todo, None, chunk=3, work=kill_on_poison, dask=c.scheduler_address))
    assert [p for p, _, _ in out] == todo
    bad = [(p, x) for p, k, x in out if k == "err"]
    assert [p for p, _ in bad] == [poison] and "the worker extracting it died (Dask" in bad[0][1]
    assert sum(k == "ok" for _, k, _ in out) == 8
