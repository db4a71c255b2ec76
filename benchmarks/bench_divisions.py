"""The divisions table: load time in a fresh process, and lookup rates.

    python benchmarks/bench_divisions.py [--runs 5]

Each run starts a new interpreter (so nothing is cached) and times importing
kg.data.divisions, parsing the table and building the form index; the median of
the runs is printed. Then lookups and in-context resolutions per second over every
form the table knows.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBE = """
import json, time
t0 = time.perf_counter()
from kg.data import divisions as dv
t1 = time.perf_counter(); dv.divisions(); t2 = time.perf_counter(); dv.lookup("")
t3 = time.perf_counter(); dv.lookup("", former=True); t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "parse": t2 - t1, "index": t3 - t2, "former": t4 - t3, "total": t4 - t0}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs = [json.loads(subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout) for _ in range(args.runs)]
    med = {k: 1000 * statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"load in a fresh process, median of {args.runs}: {med['total']:.1f} ms "
          f"(import {med['import']:.1f}, parse {med['parse']:.1f}, index {med['index']:.1f}, "
          f"former index {med['former']:.1f})")

    from kg.data import divisions as dv
    forms = list(dv.forms())
    t = time.perf_counter()
    for _ in range(20):
        for f in forms:
            dv.lookup(f)
    rate = 20 * len(forms) / (time.perf_counter() - t)
    pairs = [(f, ds[0].province) for f, ds in dv.forms().items()]
    t = time.perf_counter()
    for f, p in pairs:
        dv.resolve(f, within=p)
    rrate = len(pairs) / (time.perf_counter() - t)
    n = len(dv.divisions())
    print(f"{n} divisions, {len(forms)} forms, {sum(1 for f in forms if dv.ambiguous(f))} ambiguous; "
          f"lookup {rate:,.0f}/s; resolve within a province {rrate:,.0f}/s")


if __name__ == "__main__":
    main()
