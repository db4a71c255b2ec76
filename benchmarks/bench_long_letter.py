"""Extraction time against a letter's length: the sample letter's body repeated to 0.1, 1 and
10 MB. Linear extraction keeps the rate (characters per second) about flat; the ratio of the
largest to the smallest rate says how far from linear it is (1.0 is linear).

    python benchmarks/bench_long_letter.py [--mb 0.1 1 10]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.extract import extract
from kg.extract.names import gazetteer
from kg.records import RawDocument

SEED = Path(__file__).resolve().parent.parent / "corpus" / "jilin-kjt-2022-L37.txt"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[0.1, 1.0, 10.0], help="letter sizes in millions of characters")
    args = ap.parse_args(argv)
    seed = SEED.read_text(encoding="utf-8")
    head, body = seed.split("\n", 8)[:8], seed.split("\n", 8)[-1]
    gazetteer()
    rates = []
    for mb in args.mb:
        n = max(1, int(mb * 1e6 / len(body)))
        text = "\n".join(head) + ("\n" + body) * n
        timings: dict = {}
        t = time.perf_counter()
        extract(RawDocument("long", text), timings=timings)
        dt = time.perf_counter() - t
        rates.append(len(text) / dt)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in timings.items())
        print(f"{len(text) / 1e6:6.2f} M characters: {dt:7.2f} s, {rates[-1] / 1e3:7.0f} k characters/s  ({stages})")
    print(f"rate of the longest / the shortest: {rates[-1] / rates[0]:.2f} (1.0 is linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
