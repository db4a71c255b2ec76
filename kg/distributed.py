"""`kg load --dask ADDRESS`: the same extraction, on a Dask cluster (dask.distributed).

Each task is `kg.pipeline.extract_shard` on a chunk of letters — exactly what a local worker
runs — and returns its shard (kg.shards: marshal bytes); this process, the Dask client, merges
the shards in input order into the store, as `kg load --jobs` does. Nothing here schedules:
Dask places the tasks, moves the results and replaces workers that die; a chunk whose worker
died is split into single letters, and a letter that kills its worker again (Dask's
KilledWorker, after `distributed.scheduler.allowed-failures` retries) is reported as failed.

The workers read the letters from the paths they are given (made absolute here): on a cluster
of several machines the corpus must be on storage they all see at the same path (NFS, a shared
volume). The store is written only from this process.

ADDRESS is a scheduler address (tcp://host:8786), or `local` for a LocalCluster on this machine
(--jobs worker processes, loopback only)."""
from __future__ import annotations

import os

from kg.pipeline import WorkerDied, extract_shard


class DaskBackend:
    def __init__(self, address: str, jobs: int | None = None, known: frozenset = frozenset(), work=None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValueError("--dask needs dask.distributed: pip install 'kg[distributed]'") from None
        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address="127.0.0.1:0")
            self.client = Client(self.cluster)
        else:
            self.client = Client(address, timeout="30s")
        self.work, self.live = work or extract_shard, []
        self.known = self.client.scatter(known, broadcast=True) if known else None
        workers = self.client.scheduler_info().get("workers", {})
        self.width = max(1, sum(w.get("nthreads", 1) for w in workers.values()))

    def submit(self, part, ids=None):
        self.live = [f for f in self.live if not f.done()]
        f = self.client.submit(self.work, [os.path.abspath(p) for p in part], self.known, None, ids, pure=False)
        self.live.append(f)
        return f

    def result(self, fut) -> bytes:
        """The shard the task returned."""
        from distributed import KilledWorker
        try:
            return fut.result()
        except KilledWorker as e:
            raise WorkerDied(f"Dask: {e}") from None

    def settle(self):
        """Wait until nothing runs on the cluster for us (failures are dealt with in turn)."""
        from distributed import wait
        wait(self.live)

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
